using System.Collections.Immutable;
using TaskFlow.Orleans.Core.Storage;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Storage;

using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>
/// One run's logbook in memory, as its single writer (the storage grain) keeps it: header, run record, every atom record,
/// the stored results arguments are prepared from, and what changed since the last write.
/// </summary>
/// <remarks>Record calls are applied here at once (so arguments are prepared from them) and become durable when a write that
/// covers their <see cref="Sequence"/> commits. No Orleans, no I/O: the grain does those.</remarks>
internal sealed partial class RunLogbookState
{
    private static readonly int StateCount = Enum.GetValues<AtomState>().Max(s => (int)s) + 1;

    private readonly AtomRecord[] _atoms;
    private readonly int[] _counts;
    private readonly bool[] _dirty;
    private readonly List<int> _dirtyAtoms = [];
    private string? _failureSummary;

    private RunLogbookState(string runId, RunHeader header, RunRecord run, AtomRecord[] atoms, long version, string? failureSummary = null)
    {
        _failureSummary = failureSummary;
        RunId = runId;
        Header = header;
        Run = run;
        _atoms = atoms;
        Version = version;
        DurableSequence = run.Sequence;
        _dirty = new bool[atoms.Length];
        _counts = new int[StateCount];
        Store = new FlowStore(header.Setup);
        foreach (var (atom, record) in atoms.Index())
        {
            _counts[(int)record.State]++;
            Load(atom, record);
        }
    }

    /// <summary>The run (flow id).</summary>
    public string RunId { get; }

    /// <summary>The header.</summary>
    public RunHeader Header { get; }

    /// <summary>The run record as last applied.</summary>
    public RunRecord Run { get; private set; }

    /// <summary>Every atom's record as last applied, by atom id.</summary>
    public IReadOnlyList<AtomRecord> Atoms => _atoms;

    /// <summary>Results and failures, and argument preparation from them.</summary>
    public FlowStore Store { get; }

    /// <summary>The store version of the last committed write (0 before the first).</summary>
    public long Version { get; private set; }

    /// <summary>How many record calls were applied.</summary>
    public long Sequence => Run.Sequence;

    /// <summary>The highest <see cref="Sequence"/> that is durable.</summary>
    public long DurableSequence { get; private set; }

    /// <summary>Whether anything applied is not yet written.</summary>
    public bool IsDirty => DurableSequence < Sequence || _dirtyAtoms.Count > 0;

    /// <summary>A new run: its header and its first changes, written together by the first write.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="header">The header.</param>
    /// <param name="changes">The first changes (the flow RUNNING, its first atoms RUNNING).</param>
    /// <returns>The state.</returns>
    public static RunLogbookState Create(string runId, RunHeader header, RunChanges changes)
    {
        ArgumentNullException.ThrowIfNull(header);
        var atoms = new AtomRecord[header.Setup.Atoms.Length];
        for (var i = 0; i < atoms.Length; i++)
        {
            atoms[i] = new AtomRecord();
        }

        // Atoms get a row when they first change: an atom without one reads as PENDING, so creating a run of any size costs
        // one row per atom it starts, not one per atom it has.
        var state = new RunLogbookState(runId, header, new RunRecord(), atoms, version: 0);
        state.Apply(changes);
        return state;
    }

    /// <summary>A stored run, read back.</summary>
    /// <param name="stored">The rows.</param>
    /// <param name="serializer">Turns payloads into records.</param>
    /// <returns>The state.</returns>
    /// <exception cref="FlowStorageException">The logbook was written by a newer version, or is damaged.</exception>
    public static RunLogbookState Load(StoredLogbook stored, LogbookSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(serializer);
        var header = ReadHeader(stored, serializer);
        RunRecord run;
        AtomRecord[] atoms;
        try
        {
            run = serializer.Deserialize<RunRecord>(stored.Run.Payload);
            atoms = new AtomRecord[header.Setup.Atoms.Length];
            foreach (var row in stored.Atoms)
            {
                if (row.AtomId >= 0 && row.AtomId < atoms.Length)
                {
                    atoms[row.AtomId] = serializer.DeserializeAtom(row.Payload, stored.RunId, row.AtomId);
                }
            }
        }
        catch (Exception exception) when (exception is not FlowStorageException)
        {
            throw Damaged(stored.RunId, exception);
        }

        for (var i = 0; i < atoms.Length; i++)
        {
            atoms[i] ??= new AtomRecord();
        }

        return new RunLogbookState(stored.RunId, header, run, atoms, stored.Version, stored.Run.FailureSummary);
    }

    /// <summary>Reads only the header of a stored run: what it is, without its progress.</summary>
    /// <param name="stored">The rows.</param>
    /// <param name="serializer">Turns payloads into records.</param>
    /// <returns>The header.</returns>
    /// <exception cref="FlowStorageException">The logbook was written by a newer version, or is damaged.</exception>
    public static RunHeader ReadHeader(StoredLogbook stored, LogbookSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(serializer);
        RunHeader header;
        try
        {
            header = serializer.DeserializeHeader(stored.Header, stored.RunId);
        }
        catch (Exception exception) when (exception is not FlowStorageException)
        {
            throw Damaged(stored.RunId, exception);
        }

        if (header.FormatVersion > RunHeader.CurrentFormatVersion)
        {
            throw new FlowStorageException(
                $"The logbook of run '{stored.RunId}' was written in format {header.FormatVersion}, newer than this silo reads " +
                $"({RunHeader.CurrentFormatVersion}). Upgrade this silo to the version that started the run.");
        }

        return header;
    }

    private static FlowStorageException Damaged(string runId, Exception exception) => new(
        $"The logbook of run '{runId}' cannot be read ({exception.GetType().Name}: {exception.Message}). It is damaged " +
        "or was written by an unknown version; nothing was changed.");

    /// <summary>Applies one record call: the run record replaces the stored one, each atom change is merged.</summary>
    /// <param name="changes">The changes.</param>
    public void Apply(RunChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var run = changes.Run.Clone();
        run.Sequence = Run.Sequence + 1;
        run.EventSequence = Math.Max(run.EventSequence, Run.EventSequence);
        Run = run;
        foreach (var change in changes.Atoms)
        {
            Merge(change);
        }
    }

    private void Merge(AtomChange change)
    {
        var id = change.AtomId;
        var current = _atoms[id];
        var next = change.Record.Clone();
        switch (change.Outcome)
        {
            case AtomOutcome.Executed:
                next.Failure = null;
                next.RevertFailure = current.RevertFailure;
                break;
            case AtomOutcome.ExecuteFailed:
                next.HasResult = false;
                next.Result = null;
                next.RevertFailure = current.RevertFailure;
                _failureSummary ??= Summary(RunId, Header.Setup.Atoms[id].Name, next.Failure);
                break;
            case AtomOutcome.RevertFailed:
                (next.HasResult, next.Result, next.Failure) = (current.HasResult, current.Result, current.Failure);
                _failureSummary = Summary(RunId, Header.Setup.Atoms[id].Name, next.RevertFailure);
                break;
            default:
                (next.HasResult, next.Result, next.Failure, next.RevertFailure) = (current.HasResult, current.Result, current.Failure, current.RevertFailure);
                break;
        }

        _counts[(int)current.State]--;
        _counts[(int)next.State]++;
        _atoms[id] = next;
        Load(id, next);
        MarkDirty(id);
    }

    /// <summary>Builds the write that makes everything applied so far durable, and clears what it covers.</summary>
    /// <param name="serializer">Turns records into payloads.</param>
    /// <returns>The write, and the sequence it covers.</returns>
    public (LogbookWrite Write, long Covers) TakeWrite(LogbookSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        var rows = new AtomRow[_dirtyAtoms.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var id = _dirtyAtoms[i];
            _dirty[id] = false;
            rows[i] = new AtomRow(id, _atoms[id].State, serializer.SerializeAtom(_atoms[id], RunId, Header.Setup.Atoms[id], id));
        }

        _dirtyAtoms.Clear();
        var run = Run;
        var write = new LogbookWrite
        {
            RunId = RunId,
            WriteId = Guid.NewGuid(),
            ExpectedVersion = Version,
            Header = Version == 0 ? serializer.SerializeHeader(Header, RunId) : null,
            Run = new RunRow
            {
                FlowName = Header.Definition.Name,
                FactoryName = Header.FactoryName,
                State = run.State,
                CreatedAt = Header.CreatedAt,
                UpdatedAt = run.UpdatedAt,
                FinishedAt = run.FinishedAt,
                Silo = run.Silo,
                FailureSummary = RunFailureSummary(),
                AtomCounts = [.. _counts],
                Tags = Header.Tags,
                Payload = serializer.Serialize(run),
            },
            Atoms = rows,
        };
        return (write, run.Sequence);
    }

    /// <summary>A write built by <see cref="TakeWrite"/> committed.</summary>
    /// <param name="write">The write.</param>
    /// <param name="covers">The sequence it covered.</param>
    public void Committed(LogbookWrite write, long covers)
    {
        ArgumentNullException.ThrowIfNull(write);
        Version = write.NewVersion;
        DurableSequence = Math.Max(DurableSequence, covers);
    }

    /// <summary>A write failed: what it carried must go into the next one.</summary>
    /// <param name="write">The write.</param>
    public void Failed(LogbookWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        foreach (var row in write.Atoms)
        {
            MarkDirty(row.AtomId);
        }
    }

    /// <summary>The whole logbook, for an engine to rebuild from.</summary>
    /// <returns>The logbook.</returns>
    public RunLogbook ToLogbook() => new()
    {
        Header = Header,
        Run = Run.Clone(),
        Atoms = [.. _atoms.Select(a => a.Clone())],
    };

    private string? RunFailureSummary() =>
        Run.State == FlowState.Success ? null // a failure a retry got past is not why the run failed: it did not
        : Run.FlowFailure is { } f ? Summary(RunId, Header.Definition.Name, f)
        : Run.EngineFailures.FirstOrDefault() is { } e ? Summary(RunId, Header.Definition.Name, e)
        : _failureSummary ?? (Run.Cancellation is { } c ? Summary(RunId, Header.Definition.Name, c) : null);

    private static string? Summary(string runId, string where, Failure? failure)
    {
        if (failure is null)
        {
            return null;
        }

        var type = failure.ExceptionTypeNames.IsDefaultOrEmpty ? "Failure" : failure.ExceptionTypeNames[0];
        var text = $"{where}: {type}: {failure.Message}";
        _ = runId;
        return text.Length <= 500 ? text : text[..497] + "...";
    }

    /// <summary>Keeps the results arguments are prepared from in step with an atom's record.</summary>
    private void Load(int id, AtomRecord record)
    {
        if (record.HasResult)
        {
            Store.Results[id] = record.Result;
        }
        else
        {
            Store.Results.Remove(id);
        }

        if (record.Failure is { } failure)
        {
            Store.Failures[id] = failure;
        }
        else
        {
            Store.Failures.Remove(id);
        }

        if (record.RevertFailure is { } revertFailure)
        {
            Store.RevertFailures[id] = revertFailure;
        }
        else
        {
            Store.RevertFailures.Remove(id);
        }
    }

    private void MarkDirty(int id)
    {
        if (!_dirty[id])
        {
            _dirty[id] = true;
            _dirtyAtoms.Add(id);
        }
    }
}
