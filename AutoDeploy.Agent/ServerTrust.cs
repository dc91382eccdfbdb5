using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AutoDeploy.Agent;

/// <summary>
/// Whom the agent talks to. Plain http:// only to this machine (loopback) unless the user said <c>--insecure</c>; over
/// https:// the server's certificate is verified as usual or, with a pinned SHA-256 thumbprint, must be exactly that
/// certificate (a self-signed one too). A refused certificate ends the TLS handshake, before any token is sent.
/// </summary>
public sealed class ServerTrust(Uri server, string? thumbprint, bool insecure)
{
    /// <summary>Why the last certificate was refused.</summary>
    private string? _refused;

    public Uri Server { get; } = server;

    /// <summary>The pinned certificate's SHA-256 thumbprint: 64 upper-case hex digits, or null.</summary>
    public string? Thumbprint { get; } = thumbprint;

    public bool Insecure { get; } = insecure;

    /// <summary>Why this server may not be used at all, or null when it may.</summary>
    public string? Refusal => Server.Scheme == Uri.UriSchemeHttp && !Server.IsLoopback && !Insecure
        ? $"Refusing plain http:// to {Server.Host}: anyone on the way could read the agent's token and send it scripts to run as this "
          + "machine. Use https://, or add --insecure if this network is yours alone."
        : null;

    /// <summary>The trust of a registration kept in <c>agent.json</c>.</summary>
    public static ServerTrust Of(AgentSettings settings) => new(new Uri(settings.Server), settings.ServerThumbprint, settings.Insecure);

    /// <summary>An HTTP client that talks to the server only over a connection this trust accepts.</summary>
    public HttpClient CreateClient()
    {
        var sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Accepts },
        };
        // Each call sets its own timeout (the long poll needs more than the default 100 s allows for others).
        return new HttpClient(new RefusalHandler(this, sockets)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private bool Accepts(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            _refused = "the server sent no certificate";
            return false;
        }
        var actual = ThumbprintOf(certificate);
        if (Thumbprint is not null)
        {
            _refused = $"its certificate's SHA-256 thumbprint is {actual}, not the pinned {Thumbprint}";
            return actual == Thumbprint;
        }
        _refused = $"its certificate ({certificate.Subject}, SHA-256 thumbprint {actual}) failed verification: {errors}. "
                   + "If it is the server's own (self-signed) certificate, pin it with --server-thumbprint";
        return errors == SslPolicyErrors.None;
    }

    /// <summary>The SHA-256 thumbprint of a certificate, as the server shows it: 64 upper-case hex digits.</summary>
    public static string ThumbprintOf(X509Certificate certificate) => Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>Reads a thumbprint as people copy it (any case, with or without colons or spaces); null if it is not one.</summary>
    public static string? ParseThumbprint(string text)
    {
        var hex = new string([.. text.Where(c => c is not (':' or ' ' or '-'))]).ToUpperInvariant();
        return hex.Length == 64 && hex.All(Uri.IsHexDigit) ? hex : null;
    }

    /// <summary>Turns a refused TLS handshake into <see cref="ServerNotTrustedException"/> with the reason.</summary>
    private sealed class RefusalHandler(ServerTrust trust, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
            {
                throw new ServerNotTrustedException($"The agent does not trust the server at {trust.Server}: {trust._refused ?? e.InnerException.Message}.");
            }
        }
    }
}
