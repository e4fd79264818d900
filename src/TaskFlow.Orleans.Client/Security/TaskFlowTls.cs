using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace TaskFlow.Orleans.Client.Security;

/// <summary>Turns on TLS with mutual authentication for silos and clients of a TaskFlow cluster, from <see cref="TaskFlowTlsOptions"/>.</summary>
/// <remarks>
/// Both sides present a certificate and accept the other only when its certificate chains to the configured CA
/// (<see cref="TaskFlowTlsOptions.CaCertificate"/>); the machine's root store is not consulted, so a certificate from any other
/// authority, however trusted elsewhere, is refused. Host names are not compared: silos reach each other by the addresses in
/// the membership table, and the CA vouches for membership. Revocation is not checked (a private CA seldom publishes lists):
/// to cut a member off, re-issue from a new CA.
/// </remarks>
public static class TaskFlowTls
{
    /// <summary>Makes the silo speak TLS to other silos and at its gateway, requiring a certificate of the cluster's CA from
    /// both. Nothing is changed when <see cref="TaskFlowTlsOptions.Enabled"/> is off.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="options">The settings.</param>
    /// <param name="settingName">How each setting is named where the user wrote it, for error messages (default
    /// <c>TaskFlowTlsOptions.Certificate</c>, ...; a host reading configuration passes e.g. <c>n =&gt; "Silo:Tls:" + n</c>).</param>
    /// <returns>The silo builder.</returns>
    /// <exception cref="InvalidOperationException">A certificate cannot be loaded; the message names the setting.</exception>
    public static ISiloBuilder UseTaskFlowTls(this ISiloBuilder builder, TaskFlowTlsOptions options, Func<string, string>? settingName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return builder;
        }

        var (certificate, validator) = Load(options, settingName);
        return builder.UseTls(certificate, tls =>
        {
            Apply(tls, options, validator);
            // A client that connects to the gateway must present a certificate too (Orleans only asks for one by default).
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        });
    }

    /// <summary>Makes the client speak TLS to the gateways, presenting its certificate and accepting only gateways whose
    /// certificate chains to the cluster's CA. Nothing is changed when <see cref="TaskFlowTlsOptions.Enabled"/> is off.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="options">The settings.</param>
    /// <param name="settingName">How each setting is named where the user wrote it, for error messages (default
    /// <c>TaskFlowTlsOptions.Certificate</c>, ...).</param>
    /// <returns>The client builder.</returns>
    /// <exception cref="InvalidOperationException">A certificate cannot be loaded; the message names the setting.</exception>
    public static IClientBuilder UseTaskFlowTls(this IClientBuilder builder, TaskFlowTlsOptions options, Func<string, string>? settingName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return builder;
        }

        var (certificate, validator) = Load(options, settingName);
        return builder.UseTls(certificate, tls => Apply(tls, options, validator));
    }

    /// <summary>Loads this side's certificate and the CA, checking each, so that a wrong setting fails at start with its name.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="settingName">How each setting is named where the user wrote it, for error messages (default
    /// <c>TaskFlowTlsOptions.Certificate</c>, ...).</param>
    /// <returns>The certificate (with its private key) and the validator of peers' certificates.</returns>
    /// <exception cref="InvalidOperationException">A file is missing or unreadable, a password is wrong, a certificate has no
    /// private key, has expired, or was not issued by the CA.</exception>
    public static (X509Certificate2 Certificate, RemoteCertificateValidator Validator) Load(TaskFlowTlsOptions options, Func<string, string>? settingName = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = settingName ?? (n => $"{nameof(TaskFlowTlsOptions)}.{n}");
        var ca = LoadCa(options, name);
        var certificate = LoadCertificate(options, name);
        var now = DateTime.Now;
        if (now > certificate.NotAfter || now < certificate.NotBefore)
        {
            throw new InvalidOperationException(
                $"The certificate in {name(nameof(options.Certificate))} ('{certificate.Subject}') is valid from {certificate.NotBefore:u} to {certificate.NotAfter:u}, not now; issue a new one.");
        }

        var validator = Validator(ca);
        if (!validator(certificate, null, SslPolicyErrors.None))
        {
            throw new InvalidOperationException(
                $"The certificate in {name(nameof(options.Certificate))} ('{certificate.Subject}') was not issued by the CA in " +
                $"{name(nameof(options.CaCertificate))} ({options.CaCertificate}); " +
                "peers would refuse it. Use a certificate issued by the cluster's CA.");
        }

        return (certificate, validator);
    }

    private static void Apply(TlsOptions tls, TaskFlowTlsOptions options, RemoteCertificateValidator validator)
    {
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = validator;
        tls.HandshakeTimeout = options.HandshakeTimeout;
    }

    /// <summary>Accepts a certificate only when it chains to one of <paramref name="ca"/> (and to nothing else).</summary>
    private static RemoteCertificateValidator Validator(X509Certificate2Collection ca) => (certificate, _, _) =>
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    };

    private static X509Certificate2Collection LoadCa(TaskFlowTlsOptions options, Func<string, string> name)
    {
        if (string.IsNullOrWhiteSpace(options.CaCertificate))
        {
            throw new InvalidOperationException(
                $"{name(nameof(options.CaCertificate))} is not set: with TLS on, name the PEM file of the cluster's CA, whose certificates are the " +
                "only ones accepted (scripts/make-dev-certs.sh makes a throwaway one).");
        }

        var ca = new X509Certificate2Collection();
        try
        {
            ca.ImportFromPemFile(options.CaCertificate);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"{name(nameof(options.CaCertificate))} '{options.CaCertificate}' cannot be read: {exception.Message}", exception);
        }

        if (ca.Count == 0)
        {
            throw new InvalidOperationException($"{name(nameof(options.CaCertificate))} '{options.CaCertificate}' holds no PEM certificate.");
        }

        return ca;
    }

    private static X509Certificate2 LoadCertificate(TaskFlowTlsOptions options, Func<string, string> name)
    {
        if (!string.IsNullOrWhiteSpace(options.StoreThumbprint))
        {
            using var store = new X509Store(options.StoreName, options.StoreLocation);
            store.Open(OpenFlags.ReadOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, options.StoreThumbprint.Replace(" ", "", StringComparison.Ordinal), validOnly: false);
            return found.Count > 0 && found[0].HasPrivateKey
                ? found[0]
                : throw new InvalidOperationException(
                    $"{name(nameof(options.StoreThumbprint))} {options.StoreThumbprint}: no certificate with its private key in {options.StoreLocation}/{options.StoreName}.");
        }

        if (string.IsNullOrWhiteSpace(options.Certificate))
        {
            throw new InvalidOperationException(
                $"{name(nameof(options.Certificate))} is not set: with TLS on, name this side's certificate (a .pfx, or a PEM file with " +
                $"{name(nameof(options.CertificateKey))}), or {name(nameof(options.StoreThumbprint))} for one in the certificate store.");
        }

        try
        {
            X509Certificate2 certificate;
            if (Path.GetExtension(options.Certificate).ToLowerInvariant() is ".pfx" or ".p12")
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(options.Certificate, options.CertificatePassword);
            }
            else
            {
                using var pem = string.IsNullOrEmpty(options.CertificatePassword)
                    ? X509Certificate2.CreateFromPemFile(options.Certificate, options.CertificateKey)
                    : X509Certificate2.CreateFromEncryptedPemFile(options.Certificate, options.CertificatePassword, options.CertificateKey);
                // SslStream needs a key it can use for every handshake: re-import as PKCS#12 (ephemeral PEM keys are not always usable).
                certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
            }

            return certificate.HasPrivateKey
                ? certificate
                : throw new InvalidOperationException($"{name(nameof(options.Certificate))} '{options.Certificate}' has no private key; include it (or set {name(nameof(options.CertificateKey))}).");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"{name(nameof(options.Certificate))} '{options.Certificate}' cannot be loaded: {exception.Message} " +
                $"(a wrong {name(nameof(options.CertificatePassword))}, a missing {name(nameof(options.CertificateKey))}, or not a certificate?)", exception);
        }
    }
}
