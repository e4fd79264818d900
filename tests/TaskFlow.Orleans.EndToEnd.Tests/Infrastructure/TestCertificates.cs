using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A throwaway certificate authority and certificates, written as PEM files, as <c>scripts/make-dev-certs.sh</c> makes them:
/// the cluster's CA, one silo certificate (server and client use, names 127.0.0.1 to 127.0.0.4), a client certificate, and a
/// client certificate from another CA. Made once per test run, in process (no openssl needed).
/// </summary>
public sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> Shared = new(() => new TestCertificates());

    private TestCertificates()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("taskflow-certs-").FullName;
        using var ca = NewAuthority("TaskFlow test CA");
        using var rogue = NewAuthority("Some other CA");
        Ca = Write("ca", ca, key: null);
        Write("rogue-ca", rogue, key: null);
        (SiloCertificate, SiloKey) = Issue("silo", ca, "taskflow-silo", serverAuth: true);
        (ClientCertificate, ClientKey) = Issue("client", ca, "taskflow-client", serverAuth: false);
        (RogueClientCertificate, RogueClientKey) = Issue("rogue-client", rogue, "taskflow-client", serverAuth: false);
        // A client that trusts both CAs passes its own check of its certificate, so only the silos can refuse it.
        RogueClientCa = Path.Combine(Directory, "rogue-and-real-ca.pem");
        File.WriteAllText(RogueClientCa, File.ReadAllText(Ca) + "\n" + File.ReadAllText(Path.Combine(Directory, "rogue-ca.pem")) + "\n");
    }

    public static TestCertificates Instance => Shared.Value;

    public string Directory { get; }

    public string Ca { get; }

    public string SiloCertificate { get; }

    public string SiloKey { get; }

    public string ClientCertificate { get; }

    public string ClientKey { get; }

    public string RogueClientCertificate { get; }

    public string RogueClientKey { get; }

    public string RogueClientCa { get; }

    /// <summary>The silo settings that turn TLS on with the silo certificate.</summary>
    public Dictionary<string, string> SiloEnvironment() => new()
    {
        ["Silo__Tls__Enabled"] = "true",
        ["Silo__Tls__Certificate"] = SiloCertificate,
        ["Silo__Tls__CertificateKey"] = SiloKey,
        ["Silo__Tls__CaCertificate"] = Ca,
    };

    /// <summary>The command-line options of a client with the client certificate.</summary>
    public string[] ClientArguments() => ["--tls-cert", ClientCertificate, "--tls-key", ClientKey, "--tls-ca", Ca];

    private static X509Certificate2 NewAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
    }

    private (string Certificate, string Key) Issue(string file, X509Certificate2 authority, string name, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }; // client authentication
        if (serverAuth)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1")); // server authentication
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            for (var i = 1; i <= 4; i++)
            {
                names.AddIpAddress(IPAddress.Parse($"127.0.0.{i}"));
            }

            request.CertificateExtensions.Add(names.Build());
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        using var certificate = request.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        return (Write(file, certificate, key), Path.Combine(Directory, file + ".key"));
    }

    private string Write(string file, X509Certificate2 certificate, ECDsa? key)
    {
        var path = Path.Combine(Directory, file + ".pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        if (key is not null)
        {
            File.WriteAllText(Path.Combine(Directory, file + ".key"), key.ExportPkcs8PrivateKeyPem());
        }

        return path;
    }
}
