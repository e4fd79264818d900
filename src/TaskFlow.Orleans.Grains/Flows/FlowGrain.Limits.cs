using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Limits;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>The silo's own check of <see cref="TaskFlowLimits"/>: a client may skip its checks, the engine never does. A start
/// over a limit is refused before anything is stored; a result that would take the run over its payload fails its task.</summary>
internal sealed partial class FlowGrain
{
    private TaskFlowLimits? _limits;

    private TaskFlowLimits Limits => _limits ??= ServiceProvider.GetService<IOptions<TaskFlowLimits>>()?.Value ?? new TaskFlowLimits();

    /// <summary>Whether this grain's key is a valid flow id; an invalid one never reaches storage or the reminder table.</summary>
    private bool HasValidId => FlowIds.Problem(FlowId, Limits.MaxFlowIdLength) is null;

    /// <summary>Refuses a flow id that breaks <see cref="FlowIds"/>' rules: one over the length limit with a
    /// <see cref="LimitExceededException"/>, any other with an <see cref="ArgumentException"/>.</summary>
    private void CheckFlowId()
    {
        var maxLength = Limits.MaxFlowIdLength;
        if (FlowId.Length > maxLength)
        {
            throw new LimitExceededException("FlowIdLength", $"Flow id \"{FlowIds.Show(FlowId)}\"", FlowId.Length, maxLength,
                "characters long", "TaskFlow:Limits:MaxFlowIdLength", "Use a shorter id (a GUID is 32 characters)");
        }

        if (FlowIds.Problem(FlowId, maxLength) is { } problem)
        {
            throw new ArgumentException(problem, "flowId");
        }
    }

    /// <summary>Refuses a definition with more atoms than <see cref="TaskFlowLimits.MaxAtomsPerFlow"/>, counted before it is compiled.</summary>
    /// <returns>How many atoms it has.</returns>
    private int CheckAtomCount(FlowDefinition definition)
    {
        var max = Limits.MaxAtomsPerFlow;
        long count = 0;
        var patterns = new Stack<PatternDefinition>();
        patterns.Push(definition.Root);
        while (patterns.TryPop(out var pattern))
        {
            count += pattern.Retry is null ? 0 : 1;
            foreach (var item in pattern.Items)
            {
                if (item is PatternDefinition nested)
                {
                    patterns.Push(nested);
                }
                else
                {
                    count++;
                }
            }
        }

        if (count > max)
        {
            throw new LimitExceededException("AtomsPerFlow", $"Flow '{definition.Name}'", count, max, "atoms",
                "TaskFlow:Limits:MaxAtomsPerFlow", "Split it into several flows");
        }

        return (int)count;
    }

    /// <summary>Refuses inputs over <see cref="TaskFlowLimits.MaxValueBytes"/> each or <see cref="TaskFlowLimits.MaxRunPayloadBytes"/>
    /// together, and returns their serialized size: the run's payload to start with.</summary>
    private long CheckInputs(IEnumerable<KeyValuePair<string, object?>> inputs)
    {
        var limits = Limits;
        var error = PayloadMeter.CheckInputs(ServiceProvider.GetRequiredService<Serializer>(), inputs,
            limits.MaxValueBytes, limits.MaxRunPayloadBytes, out var total);
        return error is null ? total : throw error;
    }

    /// <summary>An executed task's result, or a failure in its place when the result would take the run over
    /// <see cref="TaskFlowLimits.MaxRunPayloadBytes"/> (the executor already failed a result over <see cref="TaskFlowLimits.MaxValueBytes"/>).</summary>
    /// <remarks><paramref name="bytes"/> is what the outcome adds to the run's payload once the engine takes it.</remarks>
    private Outcome Admit(Outcome outcome, out long bytes)
    {
        bytes = 0;
        if (outcome.IsRevert || !outcome.Result.IsSuccess || outcome.Result.ValueBytes == 0)
        {
            return outcome;
        }

        var max = Limits.MaxRunPayloadBytes;
        var total = _run.PayloadBytes + outcome.Result.ValueBytes;
        if (total <= max)
        {
            bytes = outcome.Result.ValueBytes;
            return outcome;
        }

        var atom = _engine!.Flow.Atoms[outcome.AtomId].Name;
        var message = LimitExceededException.Format("RunPayloadSize", $"Run '{FlowId}' with the result of '{atom}' ({outcome.Result.ValueBytes:N0} bytes)",
            total, max, "bytes serialized", "TaskFlow:Limits:MaxRunPayloadBytes", "Return large data by reference (a URL or a key into your own store)");
        var failure = Failure.Create(typeof(LimitExceededException).FullName!, message + " The result was not stored.");
        return outcome with { Result = ExecutionResult.Failed(failure, outcome.Result.RanOn) };
    }
}
