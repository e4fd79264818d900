using System.Globalization;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Samples.BootServer;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Silo.Demo;

/// <summary><c>dotnet run --project silo/TaskFlow.Orleans.Silo -- demo</c>: runs the boot-server sample twice on the silo just
/// started in this process, printing every transition as it happens: once with a known image (every task succeeds), once
/// with an unknown image (<c>boot-vm</c> fails and what ran before it is reverted in reverse order).</summary>
internal static class DemoRun
{
    /// <summary>Runs both flows to their end.</summary>
    /// <param name="client">A client of the silo.</param>
    /// <param name="dashboardUrl">Where the silo serves the dashboard, or <see langword="null"/> when it serves none.</param>
    /// <param name="cancellationToken">Stops following the runs.</param>
    /// <returns>Whether the first run succeeded and the second was reverted.</returns>
    public static async Task<bool> RunAsync(ITaskFlowClient client, string? dashboardUrl, CancellationToken cancellationToken)
    {
        Console.WriteLine("== 1. boot-server with a known image: every task succeeds");
        var good = await RunAndPrintAsync(client, new FlowInputs { ["network"] = "tenant-a", ["golden-image"] = "ubuntu-24.04" }, cancellationToken);
        Console.WriteLine("== 2. boot-server with an unknown image: boot-vm fails, everything before it is reverted");
        var bad = await RunAndPrintAsync(client, new FlowInputs { ["network"] = "tenant-b", ["golden-image"] = "windows-95" }, cancellationToken);
        var asExpected = good.State == FlowState.Success && bad.State == FlowState.Reverted;
        Console.WriteLine(asExpected
            ? "Demo finished: one flow succeeded, one failed and was reverted in reverse order."
            : "Demo did not end as expected.");
        if (dashboardUrl is not null)
        {
            Console.WriteLine($"These runs stay in the silo's store: run the silo without 'demo' and open {dashboardUrl}/runs/{bad.FlowId}");
        }

        return asExpected;
    }

    private static async Task<FlowStatus> RunAndPrintAsync(ITaskFlowClient client, FlowInputs inputs, CancellationToken cancellationToken)
    {
        var handle = await client.StartAsync(BootServerFlow.Name, inputs, cancellationToken: cancellationToken);
        Console.WriteLine($"Started run {handle.FlowId}.");
        await foreach (var flowEvent in handle.WatchAsync(cancellationToken))
        {
            // The sample tasks report only 0 % and 100 %: their state changes say it all.
            if (flowEvent.Progress is null)
            {
                Console.WriteLine(Format(flowEvent));
            }
        }

        return await handle.GetStatusAsync(cancellationToken);
    }

    private static string Format(FlowEvent flowEvent)
    {
        var time = flowEvent.Timestamp.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        if (flowEvent.FlowState is { } flowState)
        {
            return $"{time} flow {flowEvent.Name} {StateNames.Of(flowState)}";
        }

        var state = flowEvent.AtomState!.Value;
        var detail = state switch
        {
            AtomState.Success => $" -> {flowEvent.Result ?? "null"}",
            AtomState.Failure or AtomState.RevertFailure => $" {flowEvent.Failure}",
            _ => "",
        };
        return $"{time}   {flowEvent.Name,-14} {StateNames.Of(state)}{detail}";
    }
}
