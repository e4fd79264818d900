using System.Text.Json;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Tests.Masking;

/// <summary>A masked input (<c>password</c>) and a masked result (<c>token</c>) never leave the silo in clear: not in the
/// engine's or the stored snapshot, the result, the events or the log; only the task that requires the value receives it.
/// A failure message that quotes a masked value is stored and shown with <c>***</c> in its place.</summary>
[Collection(MaskingCollection.Name)]
public sealed class MaskingTests(MaskingClusterFixture fixture)
{
    private const string Password = "hunter2-correct-horse";
    private const string Token = "tok-" + Password + "-xyz";

    private ITaskFlowClient Client => fixture.Client;

    private static FlowInputs Inputs => new() { ["password"] = Password, ["host"] = "db-1" };

    private static FlowDefinition LoginFlow() => Flow.Linear("login-flow")
        .Add(MaskingClusterFixture.LoginTask, "login", provides: "token")
        .Add(MaskingClusterFixture.UseTask, "use", provides: "length")
        .Build();

    private static FlowDefinition LeakFlow() => Flow.Linear("leak-flow")
        .Add(MaskingClusterFixture.LeakTask, "leak", provides: "nothing")
        .Build();

    private static StartFlowOptions NewId(string name) => new() { FlowId = $"{name}-{Guid.NewGuid():N}" };

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
    }

    private static void AssertLogHasNoSecret()
    {
        Assert.Contains(MaskingClusterFixture.LogLines, line => line.Contains("password=***", StringComparison.Ordinal)); // the capture works
        Assert.All(MaskingClusterFixture.LogLines, AssertNoSecret);
        Assert.Contains(MaskingClusterFixture.ListenerContexts, context => context.Contains("***", StringComparison.Ordinal));
        Assert.All(MaskingClusterFixture.ListenerContexts, AssertNoSecret);
    }

    private async Task<List<FlowEvent>> EventsAsync(FlowHandle handle)
    {
        var events = new List<FlowEvent>();
        await foreach (var flowEvent in handle.WatchAsync())
        {
            events.Add(flowEvent);
        }

        return events;
    }

    [Fact]
    public async Task Run_MaskedInputAndResult_ShownAsStarsEverywhereAndGivenInClearOnlyToTheTask()
    {
        var handle = await Client.StartAsync(LoginFlow(), Inputs, NewId("mask-run"));
        var result = await handle.GetResultAsync();

        // The task that requires the masked result got it in clear.
        Assert.Equal(Token, MaskingClusterFixture.ReceivedTokens[handle.FlowId]);
        Assert.Equal(Token.Length, result.Get<int>("length"));

        Assert.Equal("***", result.Results["token"]);
        Assert.Equal("***", result.Inputs["password"]);
        Assert.Equal("***", result.All["password"]);
        Assert.Equal("***", result.Get<string>("password"));
        var engine = await handle.GetSnapshotAsync();
        var stored = await Client.GetStoredSnapshotAsync(handle.FlowId);
        foreach (var snapshot in new[] { engine, stored })
        {
            Assert.Equal(FlowState.Success, snapshot.State);
            Assert.Equal(new[] { "password", "token" }, snapshot.MaskedNames.ToArray());
            Assert.Equal("***", snapshot.Inputs["password"]);
            Assert.Equal("db-1", snapshot.Inputs["host"]);
            Assert.Equal("***", snapshot.Results["token"]);
            Assert.Equal(Token.Length, snapshot.Results["length"]);
            Assert.Equal("***", snapshot.Atom("login").Result);
            Assert.Equal("***", snapshot.Atom("login").Arguments["password"]);
            Assert.Equal("***", snapshot.Atom("use").Arguments["token"]);
            AssertNoSecret(Json(snapshot));
        }

        var events = await EventsAsync(handle);
        Assert.Contains(events, e => e.Name == "login" && e.AtomState == AtomState.Success && "***".Equals(e.Result));
        Assert.All(events, e => AssertNoSecret(Json(e) + e));
        AssertLogHasNoSecret();
    }

    [Fact]
    public async Task Run_TaskFailsQuotingAMaskedInput_FailureStoredAndShownWithStars()
    {
        var handle = await Client.StartAsync(LeakFlow(), Inputs, NewId("mask-leak"));
        var failed = await Assert.ThrowsAsync<FlowFailedException>(() => handle.GetResultAsync());

        AssertNoSecret(failed.Message + Json(failed.Failures));
        foreach (var snapshot in new[] { await handle.GetSnapshotAsync(), await Client.GetStoredSnapshotAsync(handle.FlowId) })
        {
            var failure = snapshot.Atom("leak").Failure!;
            Assert.Equal("cannot log in with '***'", failure.Message);
            Assert.Equal("password *** was refused", failure.Cause!.Message);
            AssertNoSecret(Json(snapshot));
        }

        var events = await EventsAsync(handle);
        Assert.Contains(events, e => e.Name == "leak" && e.Failure?.Message == "cannot log in with '***'");
        Assert.All(events, e => AssertNoSecret(Json(e) + e));
        AssertLogHasNoSecret();
    }

    [Fact]
    public async Task Rerun_RunWithAMaskedInput_RefusedNamingTheInput()
    {
        var handle = await Client.StartAsync(LoginFlow(), Inputs, NewId("mask-rerun"));
        await handle.GetResultAsync();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Client.RerunAsync(handle.FlowId));

        Assert.Contains("'password'", refused.Message);
        Assert.Contains("masked", refused.Message);
        AssertNoSecret(refused.Message);
    }
}
