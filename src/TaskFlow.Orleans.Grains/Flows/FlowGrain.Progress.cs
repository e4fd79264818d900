using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>Task progress: 0 when an execute starts, 1 when it succeeds, and whatever the task reports in between.</summary>
public sealed partial class FlowGrain
{
    private double[] _progress = [];
    private string?[] _progressDetails = [];
    private Dictionary<string, int>? _atomIds;

    /// <summary>Atom ids by name, built once per activation.</summary>
    private Dictionary<string, int> AtomIds(Core.Engine.FlowEngine engine) =>
        _atomIds ??= engine.Flow.Atoms.ToDictionary(a => a.Name, a => a.Id, StringComparer.Ordinal);
    private long[] _progressSequence = [];

    /// <inheritdoc />
    public Task ReportProgressAsync(string atomName, string executionId, long sequence, double progress, string? details)
    {
        if (_engine is not { } engine)
        {
            return Task.CompletedTask;
        }

        if (_progressSequence.Length != _progress.Length)
        {
            _progressSequence = new long[_progress.Length]; // a fresh activation: sequences restart with the re-dispatch
        }

        if (!AtomIds(engine).TryGetValue(atomName, out var atom)
            || engine.GetState(atom) != AtomState.Running
            || ExecutionId(atom) != executionId
            || sequence <= _progressSequence[atom])
        {
            // A late report of an attempt that is over, or one overtaken by a newer report (one-way calls are not ordered).
            return Task.CompletedTask;
        }

        _progressSequence[atom] = sequence;
        _progress[atom] = Math.Clamp(progress, 0, 1);
        _progressDetails[atom] = details;
        Publish(new FlowEvent
        {
            Sequence = 0,
            Timestamp = _time.GetUtcNow(),
            Name = atomName,
            Progress = _progress[atom],
            ProgressDetails = details,
        });
        return Task.CompletedTask;
    }

    /// <summary>Sets progress as TaskFlow's engine does at the edges: 0 when an execute starts, 1 when it succeeds.</summary>
    private void TrackProgress(int atom, AtomState state)
    {
        if (atom >= _progress.Length)
        {
            return;
        }

        if (state == AtomState.Running)
        {
            if (_progressSequence.Length != _progress.Length)
            {
                _progressSequence = new long[_progress.Length];
            }

            _progressSequence[atom] = 0;
            _progress[atom] = 0;
            _progressDetails[atom] = null;
        }
        else if (state == AtomState.Success)
        {
            _progress[atom] = 1;
        }
    }
}
