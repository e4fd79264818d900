using Microsoft.AspNetCore.Http;

namespace TaskFlow.Orleans.Dashboard.Security;

/// <summary>The headers every dashboard response carries.</summary>
internal static class SecurityHeaders
{
    /// <summary>Scripts and styles only from the dashboard's own embedded files (no inline script or style, so an injected one
    /// would not run), no framing, forms posting only back to the dashboard.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Adds the headers to the response.</summary>
    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (!headers.ContainsKey("Cache-Control"))
        {
            headers.CacheControl = "no-store";
        }
    }
}
