using TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TaskFlow.Orleans.EndToEnd.Tests;

/// <summary>Bad flow ids given to the CLI are refused before it connects (no silo is started), with the rule they break, a
/// non-zero exit code and no stack trace: an 8,000-character id gets the id-length error, not a storage diagnosis.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class CliBadIdTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(60);



    public static TheoryData<string[], string> BadIds => new()
    {
        { ["status", new string('x', 8000)], "is 8,000 characters long, over the limit of 200 (FlowIdLength)" },
        { ["watch", "   "], "is only whitespace" },
        { ["show", "bad\tid"], "has a control character (U+0009) at position 3" },
        { ["cancel", "run\u200B1"], "has an invisible format character (U+200B)" },
        { ["run", "boot-server", "--flow-id", new string('y', 201)], "is 201 characters long, over the limit of 200 (FlowIdLength)" },
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Command_BadFlowId_FailsNamingTheRuleBeforeConnecting(string[] arguments, string rule)
    {
        using var silo = new SingleSilo(output, "cli-bad-id"); // not started: a bad id is refused before anything connects

        var cli = silo.StartCli(arguments);

        Assert.Equal(2, await cli.WaitForExitAsync(CliTimeout, $"refusing the id of '{arguments[0]}'"));
        Assert.Contains(rule, cli.Text(), StringComparison.Ordinal);
        cli.AssertNoStackTrace();
    }

}
