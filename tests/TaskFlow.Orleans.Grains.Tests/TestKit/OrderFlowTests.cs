// The complete example of docs/testing.md: keep the two in step.
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing;
using static TaskFlow.Orleans.Testing.ExpectedCall;

namespace TaskFlow.Orleans.Grains.Tests.TestKit;

// The code under test: three tasks and a flow, as an application would write them.

[TaskName("shop.reserve")]
public sealed class ReserveStock : FlowTask
{
    public string Execute(string item) => $"reservation-of-{item}";

    public void Revert(string item)
    {
        // Gives the item back.
    }
}

[TaskName("shop.charge")]
public sealed class ChargeCard : FlowTask
{
    public string Execute(long amount) =>
        amount <= 100 ? $"payment-{amount}" : throw new InvalidOperationException($"Card declined for {amount}.");

    public void Revert(TaskOutcome<string> outcome)
    {
        // Refunds the payment, if there was one.
    }
}

/// <summary>A test double of the shipping step: it waits at its gate until the test opens it, so the test can act while it runs.</summary>
[TaskName("shop.ship")]
public sealed class GatedShip(TaskGates gates) : FlowTask
{
    public async Task<string> ExecuteAsync(string item, CancellationToken cancellationToken)
    {
        await gates.PassAsync(Context, cancellationToken);
        return $"parcel-with-{item}";
    }
}

public static class OrderFlow
{
    public static FlowDefinition Build() =>
        Flow.Linear("order")
            .Add<ReserveStock>("reserve", provides: "reservation")
            .Add<ChargeCard>("charge", provides: "payment")
            .Add<GatedShip>("ship", provides: "parcel")
            .Build();
}

// The tests: one cluster for the class, a fresh run id per test.

public sealed class OrderFlowFixture : IAsyncLifetime
{
    public TaskFlowTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await TaskFlowTestCluster.CreateBuilder()
            .WithSilos(2)
            .AddTask<ReserveStock>()
            .AddTask<ChargeCard>()
            .AddTask<GatedShip>()
            .StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

public sealed class OrderFlowTests(OrderFlowFixture fixture) : IClassFixture<OrderFlowFixture>
{
    private readonly TaskFlowTestCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task Order_CardDeclined_RevertsChargeThenReservation()
    {
        var flowId = $"order-{Guid.NewGuid():N}";
        var inputs = new FlowInputs { ["item"] = "book", ["amount"] = 500L };

        await Assert.ThrowsAsync<FlowFailedException>(
            () => _cluster.Client.RunAsync(OrderFlow.Build(), inputs, new StartFlowOptions { FlowId = flowId }));

        _cluster.Journal.ForRun(flowId).AssertOrder(
            Executed("reserve"), ExecuteFailed("charge"), Reverted("charge"), Reverted("reserve"));
    }

    [Fact]
    public async Task Order_SiloDiesWhileShipping_ResumesOnAnotherSiloWithoutRepeatingDoneSteps()
    {
        var flowId = $"order-{Guid.NewGuid():N}";
        var inputs = new FlowInputs { ["item"] = "book", ["amount"] = 20L };
        await _cluster.Client.StartAsync(OrderFlow.Build(), inputs, new StartFlowOptions { FlowId = flowId });

        // Hold the run while "ship" executes, then kill the silo driving it.
        await _cluster.Gates.WaitEnteredAsync(flowId, "ship");
        var killed = await _cluster.KillSiloRunningAsync(flowId);
        _cluster.Gates.Open(flowId, "ship");

        var snapshot = await _cluster.WaitForFinishAsync(flowId);

        Assert.Equal(FlowState.Success, snapshot.State);
        Assert.Equal("parcel-with-book", snapshot.Results["parcel"]);
        var journal = _cluster.Journal.ForRun(flowId);
        journal.AssertOnce(Executed("reserve"));
        journal.AssertOnce(Executed("charge"));
        journal.AssertHappenedBefore(Executed("charge"), Executed("ship"));
        Assert.NotEqual(killed.SiloAddress.ToString(), journal.Calls[^1].Silo); // finished by the silo that took over

        await _cluster.StartSiloAsync(); // back to two silos for the next test
    }
}
