using System.Text;
using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// A silo process configured to mask the boot-server flow's <c>network</c> input and <c>ip</c> result, driven by the CLI as a
/// user would: <c>run</c>, <c>status</c> and <c>show</c> print <c>***</c> for them, and neither the CLI's output, the silo's
/// log output nor the bytes of the SQLite database hold the secret input. Needs no database server.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Sqlite")]
[Trait("Category", "EndToEnd")]
public sealed class CliMaskingTests(ITestOutputHelper output)
{
    private const string Secret = "tenant-secret-network-7f3a";
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AMaskedInputAndResult_AreShownAsStars_AndStoredEncrypted()
    {
        using var silo = new SingleSilo(output, "cli-mask", new Dictionary<string, string>
        {
            ["TaskFlow__MaskedKeys__0"] = "network",
            ["TaskFlow__MaskedKeys__1"] = "ip",
            ["TaskFlow__EncryptionKeys__k1"] = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray()),
            ["Logging__LogLevel__TaskFlow"] = "Debug",
        });
        await silo.StartAsync();
        var id = "masked-" + Guid.NewGuid().ToString("N")[..8];

        var run = silo.StartCli("run", "boot-server", "--flow-id", id, "--input", $"network={Secret}", "--input", "golden-image=ubuntu-24.04");
        Assert.Equal(0, await run.WaitForExitAsync(CliTimeout, "running boot-server"));
        var status = silo.StartCli("status", id);
        Assert.Equal(0, await status.WaitForExitAsync(CliTimeout, "status"));
        var show = silo.StartCli("show", id);
        Assert.Equal(0, await show.WaitForExitAsync(CliTimeout, "show"));

        foreach (var cli in new[] { run, status, show })
        {
            var text = string.Join("\n", cli.Lines);
            output.WriteLine(text);
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.Contains("***", text, StringComparison.Ordinal);
        }

        Assert.Contains(status.Lines, line => line.Contains("allocate-ip", StringComparison.Ordinal) && line.Contains("***", StringComparison.Ordinal));
        silo.Kill();
        Assert.DoesNotContain(silo.AllLines(), line => line.Contains(Secret, StringComparison.Ordinal));
        foreach (var file in new[] { silo.DatabasePath, silo.DatabasePath + "-wal" }.Where(File.Exists))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Secret)) < 0, $"{Path.GetFileName(file)} holds the masked input in clear.");
        }
    }
}
