using System.Collections.Immutable;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Retries;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>
/// What the engine shell knows about each atom beyond the engine's own state (timings, the silo it ran on, progress, call
/// counts), the outcomes waiting to be recorded, and how the next record call's changes are built from both.
/// </summary>
/// <remarks>Progress follows TaskFlow's edges: 0 when an execute starts, 1 when it succeeds; a task's reports in between
/// count only while its attempt is RUNNING, and one overtaken by a newer report (one-way calls are not ordered) is dropped.</remarks>
internal sealed class RunTracker
{
    private readonly AtomRecord[] _atoms;
    private readonly AtomProgress _progress;
    private readonly Dictionary<int, (AtomOutcome Kind, ExecutionResult Result)> _outcomes = [];
    private readonly bool[] _dirty;
    private readonly List<int> _dirtyAtoms = [];

    public RunTracker(int atomCount)
    {
        _atoms = new AtomRecord[atomCount];
        for (var i = 0; i < atomCount; i++)
        {
            _atoms[i] = new AtomRecord();
        }

        _progress = new AtomProgress(atomCount);
        _dirty = new bool[atomCount];
    }

    /// <summary>Continues from a logbook's atom records.</summary>
    public RunTracker(IReadOnlyList<AtomRecord> atoms)
        : this(atoms.Count)
    {
        for (var i = 0; i < atoms.Count; i++)
        {
            _atoms[i] = atoms[i].Clone();
            _atoms[i].Result = null; // the shell does not keep results
            _progress.Restore(i, atoms[i].State, atoms[i].Progress, atoms[i].ProgressDetails);
        }
    }

    /// <summary>Whether anything of the tracker's own (progress) waits to be recorded.</summary>
    public bool HasChanges => _dirtyAtoms.Count > 0 || _outcomes.Count > 0;

    /// <summary>An atom's progress and details.</summary>
    public (double Progress, string? Details) Progress(int atom) => (_progress.Of(atom), _progress.DetailsOf(atom));

    /// <summary>How long an atom's last execute or revert took, counted when it returned (so still right when the atom has
    /// already moved on, e.g. FAILURE then REVERTING in one step).</summary>
    public TimeSpan? LastDuration(int atom) => ImplicitFirstSuccess.StatisticsOf(_atoms[atom]).LastDuration;

    /// <summary>When an atom's last call started and ended.</summary>
    public (DateTimeOffset? Started, DateTimeOffset? Finished) Timing(int atom) => (_atoms[atom].StartedAt, _atoms[atom].FinishedAt);

    /// <summary>Records an executor's (or a local retry controller's) answer, to be recorded with the next changes.</summary>
    public void OnOutcome(int atom, bool isRevert, ExecutionResult result)
    {
        var kind = isRevert
            ? result.IsSuccess ? AtomOutcome.None : AtomOutcome.RevertFailed
            : result.IsSuccess ? AtomOutcome.Executed : AtomOutcome.ExecuteFailed;
        _outcomes[atom] = (kind, result);
        var record = _atoms[atom];
        record.Calls++;
        record.RanOn = result.RanOn ?? record.RanOn;
        MarkDirty(atom);
    }

    /// <summary>Notes an atom's state change: timings, and progress at TaskFlow's edges (kept by Core's <see cref="AtomProgress"/>).</summary>
    /// <returns>The progress event to publish at an edge (0 when an execute starts, 1 when it succeeds), if any.</returns>
    public double? OnStateChanged(int atom, AtomState to, DateTimeOffset now, int attempt = 0)
    {
        var record = _atoms[atom];
        MarkDirty(atom);
        switch (to)
        {
            case AtomState.Running or AtomState.Reverting:
                // A first execute that succeeded is kept implicitly (its timings are the record's): write it down now,
                // before this call's start replaces them.
                ImplicitFirstSuccess.Materialize(record);
                record.StartedAt = now;
                record.FinishedAt = null;
                break;
            case AtomState.Success or AtomState.Failure or AtomState.Reverted or AtomState.RevertFailure:
                record.FinishedAt = now;
                if (_outcomes.TryGetValue(atom, out var outcome) && !(to == AtomState.Success && ImplicitFirstSuccess.Applies(record)))
                {
                    // A call returned: count it and keep it in the atom's attempt history. The common case, a first execute
                    // that succeeds, is not written down: the record's timings say it all (ImplicitFirstSuccess).
                    Count(record, to, now, attempt, outcome.Result.Failure);
                }

                break;
        }

        return _progress.OnStateChanged(atom, to);
    }

    private static void Count(AtomRecord record, AtomState to, DateTimeOffset now, int attempt, Failure? failure)
    {
        var isRevert = to is AtomState.Reverted or AtomState.RevertFailure;
        var took = record.StartedAt is { } started && now >= started ? now - started : TimeSpan.Zero;
        var statistics = record.Statistics ?? Snapshots.AtomStatistics.Empty;
        record.Statistics = isRevert
            ? statistics with { Reverts = statistics.Reverts + 1, RevertTime = statistics.RevertTime + took, LastDuration = took }
            : statistics with
            {
                Executes = statistics.Executes + 1,
                Failures = statistics.Failures + (to == AtomState.Failure ? 1 : 0),
                ExecuteTime = statistics.ExecuteTime + took,
                LastDuration = took,
            };
        var attempts = record.Attempts.IsDefault ? [] : record.Attempts;
        if (attempts.Length >= Snapshots.AtomSnapshot.MaxAttemptsKept)
        {
            attempts = attempts.RemoveRange(0, attempts.Length - Snapshots.AtomSnapshot.MaxAttemptsKept + 1);
        }

        record.Attempts = attempts.Add(new Snapshots.AtomAttempt
        {
            Number = attempt,
            IsRevert = isRevert,
            StartedAt = record.StartedAt,
            FinishedAt = now,
            Outcome = to,
            Failure = to is AtomState.Failure or AtomState.RevertFailure ? failure : null,
            RanOn = record.RanOn,
        });
    }

    /// <summary>A task's progress report (see <see cref="AtomProgress.TryReport"/>); kept ones are recorded with the next write.</summary>
    public bool TryReportProgress(int atom, bool attemptRunning, long sequence, double progress, string? details)
    {
        if (!_progress.TryReport(atom, attemptRunning, sequence, progress, details))
        {
            return false;
        }

        MarkDirty(atom);
        return true;
    }

    /// <summary>Builds the next record call's changes from the engine's changed atoms, the tracker's own, and the run record.</summary>
    public RunChanges TakeChanges(FlowEngine engine, RunRecord run)
    {
        foreach (var atom in engine.TakeChangedAtoms())
        {
            MarkDirty(atom);
        }

        var changes = ImmutableArray.CreateBuilder<AtomChange>(_dirtyAtoms.Count);
        foreach (var atom in _dirtyAtoms)
        {
            _dirty[atom] = false;
            var record = _atoms[atom];
            record.Progress = _progress.Of(atom);
            record.ProgressDetails = _progress.DetailsOf(atom);
            record.State = engine.GetState(atom);
            record.Intention = engine.GetIntention(atom);
            record.Attempt = engine.GetAttempt(atom);
            if (engine.Flow.Atoms[atom].IsRetry)
            {
                record.RetryHistory = engine.GetRetryHistory(atom);
                record.RetryArguments = engine.GetRetryArguments(atom) is { } arguments ? new Dictionary<string, object?>(arguments) : null;
            }

            var sent = record.Clone();
            var kind = AtomOutcome.None;
            if (_outcomes.Remove(atom, out var outcome))
            {
                kind = outcome.Kind;
                switch (kind)
                {
                    case AtomOutcome.Executed:
                        (sent.HasResult, sent.Result) = (true, outcome.Result.Value);
                        break;
                    case AtomOutcome.ExecuteFailed:
                        sent.Failure = outcome.Result.Failure;
                        break;
                    case AtomOutcome.RevertFailed:
                        sent.RevertFailure = outcome.Result.Failure;
                        break;
                }
            }

            changes.Add(new AtomChange(atom, sent, kind));
        }

        _dirtyAtoms.Clear();
        return new RunChanges { Run = run, Atoms = changes.MoveToImmutable() };
    }

    /// <summary>The engine's memento, rebuilt from a logbook.</summary>
    public static EngineMemento Memento(CompiledFlow flow, RunLogbook logbook)
    {
        var nodeStates = new AtomState[flow.NodeCount];
        var intentions = new Intention[flow.NodeCount];
        var attempts = new int[flow.AtomCount];
        var histories = new Dictionary<int, RetryHistory>();
        var retryArguments = new Dictionary<int, IReadOnlyDictionary<string, object?>>();
        var failures = new Dictionary<int, Failure>();
        var deciderResults = new Dictionary<int, object?>();
        for (var atom = 0; atom < flow.AtomCount; atom++)
        {
            var record = logbook.Atoms[atom];
            nodeStates[atom] = record.State;
            intentions[atom] = record.Intention;
            attempts[atom] = record.Attempt;
            if (record.RetryHistory is { } history)
            {
                histories[atom] = history;
            }

            if (record.RetryArguments is { } arguments)
            {
                retryArguments[atom] = arguments;
            }

            if (record.State == AtomState.Failure && record.Failure is { } failure)
            {
                failures[atom] = failure;
            }

            if (flow.DeciderSource[atom] && record.HasResult)
            {
                deciderResults[atom] = record.Result;
            }
        }

        var run = logbook.Run;
        return new EngineMemento
        {
            FlowState = run.State,
            NodeStates = nodeStates,
            Intentions = intentions,
            Attempts = attempts,
            Reverting = run.Reverting,
            RevertFailed = run.RevertFailed,
            RetryHistories = histories,
            RetryArguments = retryArguments,
            Failures = failures,
            DeciderResults = deciderResults,
            EngineFailures = run.EngineFailures,
            Cancellation = run.Cancellation,
            ResumeAfterSuspend = run.ResumeAfterSuspend,
        };
    }

    private void MarkDirty(int atom)
    {
        if (!_dirty[atom])
        {
            _dirty[atom] = true;
            _dirtyAtoms.Add(atom);
        }
    }
}
