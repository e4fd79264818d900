using System.Collections.Immutable;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>Queries: status, snapshot, waiting for the outcome and reading events. All interleave with the run.</summary>
public sealed partial class FlowGrain
{
    private readonly FlowEvent[] _events;
    private long _eventSequence;

    /// <summary>Events up to this number were published by an earlier activation and are gone.</summary>
    private long _eventFloor;
    private TaskCompletionSource? _eventSignal;
    private TaskCompletionSource? _completion;
    private FlowState _flowState;
    private bool _durableTerminal;
    private DateTimeOffset? _finishedFlowAt;

    /// <summary>The state callers see: a terminal state only once it is durable.</summary>
    private FlowState ReportedState => FlowStatus.IsTerminal(_flowState) && !_durableTerminal ? FlowState.Running : _flowState;

    /// <inheritdoc />
    public Task<FlowStatus> GetStatusAsync()
    {
        EnsureExists();
        return Task.FromResult(Status());
    }

    /// <inheritdoc />
    public Task<FlowSnapshot> GetState() => GetSnapshotAsync();

    /// <inheritdoc />
    public async Task<FlowSnapshot> GetSnapshotAsync()
    {
        EnsureExists();
        var stored = await _storage.GetResultsAsync();
        var definition = _definition.State.Definition!;
        var atoms = ImmutableArray<AtomSnapshot>.Empty;
        var failures = ImmutableDictionary.CreateBuilder<string, Failure>();
        if (_engine is { } engine)
        {
            var builder = ImmutableArray.CreateBuilder<AtomSnapshot>(engine.Flow.AtomCount);
            foreach (var atom in engine.Flow.Atoms)
            {
                var failure = stored.Failures.GetValueOrDefault(atom.Id);
                var revertFailure = stored.RevertFailures.GetValueOrDefault(atom.Id);
                if (failure is not null)
                {
                    failures[atom.Name] = failure;
                }
                else if (revertFailure is not null)
                {
                    failures[atom.Name] = revertFailure;
                }

                builder.Add(new AtomSnapshot
                {
                    Id = atom.Id,
                    Name = atom.Name,
                    TaskName = atom.TaskName,
                    State = engine.GetState(atom.Id),
                    Intention = engine.GetIntention(atom.Id),
                    Result = stored.Results.GetValueOrDefault(atom.Id),
                    Failure = failure,
                    RevertFailure = revertFailure,
                    StartedAt = ToTime(_startedAt, atom.Id),
                    FinishedAt = ToTime(_finishedAt, atom.Id),
                    RanOn = atom.Id < _ranOn.Length ? _ranOn[atom.Id] : null,
                    Progress = atom.Id < _progress.Length ? _progress[atom.Id] : 0,
                    ProgressDetails = atom.Id < _progressDetails.Length ? _progressDetails[atom.Id] : null,
                });
            }

            atoms = builder.MoveToImmutable();
        }

        // Failures no atom is to blame for: the run's own (e.g. a task removed by a redeploy), a cancellation, a decider or
        // retry controller that threw.
        var flowFailure = _flowFailure ?? _engine?.CancellationFailure ?? _engine?.EngineFailures.FirstOrDefault();
        if (flowFailure is not null)
        {
            failures[definition.Name] = flowFailure;
        }

        return new FlowSnapshot
        {
            FlowId = FlowId,
            FlowName = definition.Name,
            FactoryName = _definition.State.FactoryName,
            State = ReportedState,
            CreatedAt = _definition.State.CreatedAt,
            FinishedAt = _durableTerminal ? _finishedFlowAt ?? _state.State.FinishedAt : null,
            Atoms = atoms,
            Results = stored.Named,
            Failures = failures.ToImmutable(),
        };
    }

    /// <inheritdoc />
    public async Task<FlowStatus> WaitForCompletionAsync(TimeSpan maxWait)
    {
        EnsureExists();
        if (!_durableTerminal)
        {
            _completion ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await Task.WhenAny(_completion.Task, Task.Delay(Clamp(maxWait), _time));
        }

        return Status();
    }

    /// <inheritdoc />
    public async Task<FlowEventBatch> GetEventsAsync(long afterSequence, TimeSpan maxWait)
    {
        EnsureExists();
        if (_eventSequence <= afterSequence && !_durableTerminal)
        {
            _eventSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await Task.WhenAny(_eventSignal.Task, Task.Delay(Clamp(maxWait), _time));
        }

        var oldest = Math.Max(_eventFloor + 1, _eventSequence - _events.Length + 1);
        var from = Math.Max(afterSequence + 1, oldest);
        var events = ImmutableArray.CreateBuilder<FlowEvent>((int)Math.Max(0, _eventSequence - from + 1));
        for (var sequence = from; sequence <= _eventSequence; sequence++)
        {
            events.Add(_events[(sequence - 1) % _events.Length]);
        }

        return new FlowEventBatch
        {
            Events = events.MoveToImmutable(),
            MissedEvents = afterSequence + 1 < oldest,
            Status = Status(),
        };
    }

    private void Publish(FlowEvent flowEvent)
    {
        var sequence = ++_eventSequence;
        flowEvent = flowEvent with { Sequence = sequence };
        _events[(sequence - 1) % _events.Length] = flowEvent;
        if (_listeners.Length > 0)
        {
            NotifyChange(flowEvent);
        }

        if (_eventSignal is { } signal)
        {
            _eventSignal = null;
            signal.TrySetResult();
        }
    }

    private FlowStatus Status() => new(FlowId, _definition.State.Definition?.Name ?? "", ReportedState);

    private void EnsureExists()
    {
        if (!Exists)
        {
            throw new FlowNotFoundException(FlowId);
        }
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromSeconds(20) ? TimeSpan.FromSeconds(20) : wait;

    private static DateTimeOffset? ToTime(long[] ticks, int index) =>
        index < ticks.Length && ticks[index] != 0 ? new DateTimeOffset(ticks[index], TimeSpan.Zero) : null;
}
