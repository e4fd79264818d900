using Microsoft.AspNetCore.Http;

namespace TaskFlow.Orleans.Dashboard;

/// <summary>The dashboard's stylesheet and script, served from the assembly (no CDN, no build step).</summary>
internal static class Assets
{
    private static readonly Dictionary<string, (byte[] Content, string Type)> Files = Load();

    public static IResult Serve(HttpContext http, string name)
    {
        if (!Files.TryGetValue(name, out var file))
        {
            return Results.NotFound();
        }

        http.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Bytes(file.Content, file.Type);
    }

    private static Dictionary<string, (byte[] Content, string Type)> Load()
    {
        const string prefix = "TaskFlow.Orleans.Dashboard.Assets.";
        var assembly = typeof(Assets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var name = resource[prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            files[name] = (memory.ToArray(), type);
        }

        return files;
    }
}
