using System.Security.Cryptography.X509Certificates;

namespace TaskFlow.Orleans.Client.Security;

/// <summary>
/// TLS with mutual authentication for a TaskFlow cluster: the same settings on every silo (between silos, and at the gateway)
/// and on every client. Each side presents its own certificate and accepts a peer only when the peer's certificate was issued
/// by <see cref="CaCertificate"/>, the cluster's own certificate authority.
/// </summary>
/// <remarks>
/// The certificate comes from a file (<see cref="Certificate"/>: a PKCS#12 <c>.pfx</c>/<c>.p12</c> with
/// <see cref="CertificatePassword"/>, or a PEM certificate with its PEM private key in <see cref="CertificateKey"/>) or from
/// the certificate store (<see cref="StoreThumbprint"/>, <see cref="StoreName"/>, <see cref="StoreLocation"/>).
/// <c>scripts/make-dev-certs.sh</c> makes a throwaway CA and certificates for trying it.
/// </remarks>
public sealed class TaskFlowTlsOptions
{
    /// <summary>Whether connections use TLS. When on, a peer without a certificate of the cluster's CA is refused.</summary>
    public bool Enabled { get; set; }

    /// <summary>This side's certificate: a <c>.pfx</c>/<c>.p12</c> file, or a PEM file (with <see cref="CertificateKey"/>).</summary>
    public string? Certificate { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="Certificate"/> (unencrypted, or encrypted with <see cref="CertificatePassword"/>).</summary>
    public string? CertificateKey { get; set; }

    /// <summary>The password of a <c>.pfx</c> file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The thumbprint of a certificate (with its private key) in the certificate store, instead of a file.</summary>
    public string? StoreThumbprint { get; set; }

    /// <summary>The store that holds <see cref="StoreThumbprint"/>.</summary>
    /// <value>Default <see cref="System.Security.Cryptography.X509Certificates.StoreName.My"/>.</value>
    public StoreName StoreName { get; set; } = StoreName.My;

    /// <summary>The store location that holds <see cref="StoreThumbprint"/>.</summary>
    /// <value>Default <see cref="System.Security.Cryptography.X509Certificates.StoreLocation.CurrentUser"/>.</value>
    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>The PEM file of the certificate authority (or authorities) whose certificates are the cluster's members and
    /// clients. Required when <see cref="Enabled"/>: only it is trusted, not the machine's root store.</summary>
    public string? CaCertificate { get; set; }

    /// <summary>How long a TLS handshake may take before the connection is dropped.</summary>
    /// <value>Default 10 seconds.</value>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
