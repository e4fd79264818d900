using System.Text.Json.Nodes;
using TaskFlow.Orleans.Dashboard.Rendering;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Dashboard.Pages;

/// <summary>A run and its events as the JSON API and the live stream send them: masked keys are <c>***</c>, values are JSON.</summary>
internal static class RunJson
{
    public static object Of(RunView run, ValueFormatter values)
    {
        values = values.For(run.Snapshot);
        var snapshot = run.Snapshot;
        return new
        {
            flowId = snapshot.FlowId,
            flowName = snapshot.FlowName,
            factoryName = snapshot.FactoryName,
            state = StateNames.Of(snapshot.State),
            createdAt = snapshot.CreatedAt,
            finishedAt = snapshot.FinishedAt,
            source = snapshot.Source.ToString(),
            updatedAt = snapshot.UpdatedAt,
            silo = snapshot.Silo,
            tags = snapshot.Tags,
            durability = snapshot.Durability.ToString(),
            inputs = Values(run.Inputs, values),
            results = Values(snapshot.Results, values),
            failures = snapshot.Failures.ToDictionary(pair => pair.Key, pair => Of(pair.Value)),
            atoms = snapshot.Atoms.Select(atom => new
            {
                id = atom.Id,
                name = atom.Name,
                taskName = atom.TaskName,
                state = StateNames.Of(atom.State),
                intention = atom.Intention.ToString().ToUpperInvariant(),
                isRetry = atom.IsRetry,
                attempt = atom.Attempt,
                calls = atom.Calls,
                arguments = atom.Arguments.ToDictionary(pair => pair.Key, pair => Value(pair.Value, run.IsArgumentMasked(atom, pair.Key)), StringComparer.Ordinal),
                result = Value(atom.Result, run.IsResultMasked(atom)),
                failure = atom.Failure is { } f ? Of(f) : null,
                revertFailure = atom.RevertFailure is { } r ? Of(r) : null,
                startedAt = atom.StartedAt,
                finishedAt = atom.FinishedAt,
                ranOn = atom.RanOn,
                progress = atom.Progress,
                progressDetails = atom.ProgressDetails,
            }),
        };
    }

    public static object Of(FlowEvent flowEvent, RunView run, ValueFormatter values)
    {
        values = values.For(run.Snapshot);
        var atom = flowEvent.IsFlowEvent ? null : run.Snapshot.Atoms.FirstOrDefault(a => a.Name == flowEvent.Name);
        var masked = atom is null ? values.HasMaskedKeys : run.IsResultMasked(atom);
        return new
        {
            sequence = flowEvent.Sequence,
            timestamp = flowEvent.Timestamp,
            name = flowEvent.Name,
            kind = flowEvent.IsFlowEvent ? "flow" : flowEvent.IsRetry ? "retry" : "task",
            state = flowEvent.FlowState is { } fs ? StateNames.Of(fs) : flowEvent.AtomState is { } s ? StateNames.Of(s) : null,
            progress = flowEvent.Progress,
            details = flowEvent.ProgressDetails,
            result = flowEvent.AtomState == AtomState.Success ? Value(flowEvent.Result, masked) : null,
            failure = flowEvent.Failure is { } failure ? Of(failure) : null,
        };
    }

    private static object Of(Failure failure) => new
    {
        type = failure.ExceptionTypeName,
        types = failure.ExceptionTypeNames,
        message = failure.Message,
        stackTrace = failure.StackTrace,
        cause = failure.Cause is { } cause ? Of(cause) : null,
    };

    private static Dictionary<string, JsonNode?> Values(IReadOnlyDictionary<string, object?> source, ValueFormatter values) =>
        source.ToDictionary(pair => pair.Key, pair => Value(pair.Value, values.IsMasked(pair.Key)), StringComparer.Ordinal);

    private static JsonNode? Value(object? value, bool masked) =>
        masked ? JsonValue.Create(ValueFormatter.Mask) : JsonNode.Parse(ValueFormatter.ToJson(value));
}
