using System.Xml.Linq;
using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>
/// The <c>taskflow graph</c> and <c>watch</c> commands as users run them, against one SQLite silo process: bad input fails
/// with a clear message naming it and no stack trace; a finished run is drawn and watched to its outcome. Needs no database
/// server.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Sqlite")]
[Trait("Category", "EndToEnd")]
public sealed partial class CliGraphWatchTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(60);



    [Fact]
    public async Task Graph_UnknownFormat_FailsListingTheFormatsBeforeConnecting()
    {
        using var silo = new SingleSilo(output, "cli-format"); // not started: a bad format is refused before anything connects

        var cli = silo.StartCli("graph", "some-run", "--format", "png");

        Assert.NotEqual(0, await cli.WaitForExitAsync(CliTimeout, "refusing the format"));
        Assert.Contains("--format 'png' is not a graph format; use one of dot, mermaid, svg.", cli.Text(), StringComparison.Ordinal);
        cli.AssertNoStackTrace();
    }

    [Fact]
    public async Task Graph_OutputInAMissingDirectory_FailsNamingItBeforeConnecting()
    {
        using var silo = new SingleSilo(output, "cli-output");
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "flow.svg");

        var cli = silo.StartCli("graph", "some-run", "--format", "svg", "--output", path);

        Assert.NotEqual(0, await cli.WaitForExitAsync(CliTimeout, "refusing the output"));
        Assert.Contains("does not exist", cli.Text(), StringComparison.Ordinal);
        Assert.Contains(Path.GetDirectoryName(path)!, cli.Text(), StringComparison.Ordinal);
        cli.AssertNoStackTrace();
    }

    [Fact]
    public async Task WatchAndGraph_UnknownRun_FailNamingItWithoutAStackTrace()
    {
        using var silo = new SingleSilo(output, "cli-unknown");
        await silo.StartAsync();

        foreach (var command in new[] { "watch", "graph" })
        {
            var cli = silo.StartCli(command, "no-such-run");

            Assert.NotEqual(0, await cli.WaitForExitAsync(CliTimeout, $"{command} of an unknown run"));
            Assert.Contains("No flow with id 'no-such-run' exists", cli.Text(), StringComparison.Ordinal);
            cli.AssertNoStackTrace();
        }
    }

    [Fact]
    public async Task WatchAndGraph_FinishedRun_ShowItsOutcomeAndDrawItColouredByState()
    {
        using var silo = new SingleSilo(output, "cli-graph");
        await silo.StartAsync();
        var run = silo.StartCli("run", "boot-server", "--input", "network=tenant-a", "--input", "golden-image=ubuntu-24.04", "--flow-id", "web-01");
        Assert.True(await run.WaitForExitAsync(CliTimeout, "running boot-server") == 0, run.Output(60));

        var watch = silo.StartCli("watch", "web-01");
        Assert.True(await watch.WaitForExitAsync(CliTimeout, "watching web-01") == 0, watch.Output(60));
        Assert.Contains("ended SUCCESS", watch.Text(), StringComparison.Ordinal);

        var dot = silo.StartCli("graph", "web-01");
        Assert.True(await dot.WaitForExitAsync(CliTimeout, "drawing web-01 as DOT") == 0, dot.Output(60));
        var standardOutput = dot.StandardOutput.ToList();
        Assert.StartsWith("digraph \"boot-server\" {", standardOutput[0], StringComparison.Ordinal); // nothing else on stdout
        Assert.Contains(standardOutput, line => line.Contains("-> ", StringComparison.Ordinal));

        var path = Path.Combine(Path.GetTempPath(), $"taskflow-web-01-{Guid.NewGuid():N}.svg");
        try
        {
            var svg = silo.StartCli("graph", "web-01", "--format", "SVG", "-o", path);
            Assert.True(await svg.WaitForExitAsync(CliTimeout, "drawing web-01 as SVG") == 0, svg.Output(60));
            var atoms = XDocument.Load(path).Descendants(XName.Get("g", "http://www.w3.org/2000/svg"))
                .Where(g => (string?)g.Attribute("class") == "atom").ToList();
            Assert.Equal(["allocate-ip", "root-volume", "data-volume", "boot-vm"], atoms.Select(g => (string?)g.Attribute("data-atom")));
            Assert.All(atoms, g => Assert.Equal("SUCCESS", (string?)g.Attribute("data-state")));
        }
        finally
        {
            File.Delete(path);
        }
    }

}
