using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Listeners;

/// <summary>
/// Logs every flow start and transition with the call's duration (TaskFlow's DynamicLoggingListener and DurationListener):
/// successes at Debug, failures at Warning, flow outcomes at Information. Values of inputs and results whose names are in
/// <see cref="TaskFlowOptions.MaskedKeys"/> are logged as <c>***</c> (TaskFlow added mask keys after secrets leaked into logs). A value longer than a few hundred characters is cut short with
/// its length (<c>…(N chars)</c>), so a large input never becomes one enormous log line.
/// </summary>
internal sealed partial class LoggingFlowListener(ILogger<LoggingFlowListener> logger, IOptions<TaskFlowOptions> options) : IFlowListener
{
    private const string Mask = "***";
    private readonly HashSet<string> _masked = new(options.Value.MaskedKeys, StringComparer.Ordinal);

    /// <inheritdoc />
    public void OnFlowStarted(FlowStartedContext started)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var inputs = string.Join(", ", started.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal)
                .Select(i => $"{i.Key}={(_masked.Contains(i.Key) ? Mask : ValueDisplay.Shorten(i.Value))}"));
            LogStarted(started.FlowId, started.FlowName, inputs);
        }
    }

    /// <inheritdoc />
    public void OnChange(FlowChangeContext change)
    {
        var flowEvent = change.Event;
        if (flowEvent.FlowState is { } flowState)
        {
            LogFlow(flowState == FlowState.Failure ? LogLevel.Warning : LogLevel.Information, change.FlowId, change.FlowName, StateNames.Of(flowState));
            return;
        }

        if (flowEvent.AtomState is not { } state)
        {
            return; // progress reports are not logged
        }

        var level = state is AtomState.Failure or AtomState.RevertFailure ? LogLevel.Warning : LogLevel.Debug;
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var result = state == AtomState.Success
            ? change.Provides.Any(_masked.Contains) ? Mask : ValueDisplay.Shorten(flowEvent.Result)
            : ValueDisplay.Shorten(flowEvent.Failure?.ToString(), ValueDisplay.MaxFailureChars);
        LogAtom(level, change.FlowId, flowEvent.Name, StateNames.Of(state), change.Duration?.TotalMilliseconds, result);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Flow {FlowId} ({FlowName}) starting with inputs {Inputs}")]
    private partial void LogStarted(string flowId, string flowName, string inputs);

    [LoggerMessage(Message = "Flow {FlowId} ({FlowName}) is {FlowState}")]
    private partial void LogFlow(LogLevel level, string flowId, string flowName, string flowState);

    [LoggerMessage(Message = "Flow {FlowId}: {AtomName} {AtomState} after {DurationMs} ms: {Result}")]
    private partial void LogAtom(LogLevel level, string flowId, string atomName, string atomState, double? durationMs, string? result);
}
