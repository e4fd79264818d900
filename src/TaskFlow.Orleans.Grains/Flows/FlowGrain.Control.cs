using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>Suspend, resume and cancel: requests from clients, carried out by the engine with TaskFlow's flow transitions.</summary>
public sealed partial class FlowGrain
{
    /// <inheritdoc />
    public Task<FlowStatus> SuspendAsync()
    {
        EnsureExists();
        if (_engine is { } engine && !_durableTerminal)
        {
            Control(engine.Suspend());
        }

        return Task.FromResult(Status());
    }

    /// <inheritdoc />
    public async Task<FlowStatus> ResumeAsync()
    {
        EnsureExists();
        if (_engine is { } engine && _durableTerminal && _flowState == FlowState.Suspended)
        {
            await ReopenAsync();
            Control(engine.Resume());
        }

        return Status();
    }

    /// <inheritdoc />
    public async Task<FlowStatus> CancelAsync(string? reason)
    {
        EnsureExists();
        if (_engine is not { } engine || (_durableTerminal && _flowState != FlowState.Suspended))
        {
            return Status(); // finished: nothing to cancel
        }

        if (_durableTerminal)
        {
            await ReopenAsync();
        }

        var failure = Failure.Create("TaskFlow.Orleans.FlowCancelledException",
            string.IsNullOrWhiteSpace(reason) ? "The flow was cancelled by a client request." : reason);
        Control(engine.Cancel(failure));
        CancelRunningTasks(); // their tokens are cancelled; they end (failed or not) and are reverted with the rest
        return Status();
    }

    /// <summary>A suspended run becomes unfinished again: it is woken by its reminder and kept active until it ends.</summary>
    private async Task ReopenAsync()
    {
        await RegisterResumeReminderAsync();
        _durableTerminal = false;
        _terminalVersion = long.MaxValue;
        _finishedFlowAt = null;
        _completion = null;
        StartKeepAlive();
    }

    private void Control(EngineStep step)
    {
        ApplyStep(step, outcome: null);
        EnsurePump();
        RequestCommit();
    }
}
