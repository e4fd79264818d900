using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Engine;

/// <summary>
/// Each atom's progress, as TaskFlow's engine keeps it: 0 when an execute starts, 1 when it succeeds, and what the task
/// reports in between (<c>Context.ReportProgress</c>), clamped to [0, 1].
/// </summary>
/// <remarks>
/// Reports travel as one-way calls, which are not ordered: each carries a sequence, and one overtaken by a newer report is
/// dropped. A report counts only while its attempt is RUNNING; once the atom has finished, a late report never replaces
/// its final value (1 after SUCCESS).
/// </remarks>
internal sealed class AtomProgress
{
    private readonly double[] _progress;
    private readonly string?[] _details;
    private readonly long[] _sequence;

    /// <summary>Creates the progress of <paramref name="atomCount"/> atoms, all at 0.</summary>
    /// <param name="atomCount">How many atoms the flow has.</param>
    public AtomProgress(int atomCount)
    {
        _progress = new double[atomCount];
        _details = new string?[atomCount];
        _sequence = new long[atomCount];
    }

    /// <summary>An atom's progress, from 0 to 1.</summary>
    /// <param name="atom">The atom.</param>
    /// <returns>The progress.</returns>
    public double Of(int atom) => _progress[atom];

    /// <summary>The details of an atom's last kept report.</summary>
    /// <param name="atom">The atom.</param>
    /// <returns>The details, or <see langword="null"/>.</returns>
    public string? DetailsOf(int atom) => _details[atom];

    /// <summary>Restores an atom's progress (a run rebuilt from its logbook); reports of the new activation count from here.</summary>
    /// <param name="atom">The atom.</param>
    /// <param name="state">The atom's state.</param>
    /// <param name="progress">Its stored progress.</param>
    /// <param name="details">Its stored details.</param>
    public void Restore(int atom, AtomState state, double progress, string? details)
    {
        _progress[atom] = progress;
        _details[atom] = details;
        _sequence[atom] = state == AtomState.Running ? 0 : long.MaxValue;
    }

    /// <summary>Applies TaskFlow's edges to an atom's state change.</summary>
    /// <param name="atom">The atom.</param>
    /// <param name="to">Its new state.</param>
    /// <returns>The progress to publish at an edge (0 when an execute starts, 1 when it succeeds), or <see langword="null"/>.</returns>
    public double? OnStateChanged(int atom, AtomState to)
    {
        switch (to)
        {
            case AtomState.Running:
                _sequence[atom] = 0;
                _progress[atom] = 0;
                _details[atom] = null;
                return 0;
            case AtomState.Success:
                _progress[atom] = 1;
                _sequence[atom] = long.MaxValue; // a late report never replaces the final 1.0
                return 1;
            case AtomState.Failure or AtomState.Reverting or AtomState.Reverted or AtomState.RevertFailure or AtomState.Ignore:
                _sequence[atom] = long.MaxValue;
                return null;
            default:
                return null;
        }
    }

    /// <summary>A task's report: kept when its attempt is still RUNNING and it is newer than the last one kept.</summary>
    /// <param name="atom">The atom.</param>
    /// <param name="attemptRunning">Whether the report's attempt is the atom's current one and still RUNNING.</param>
    /// <param name="sequence">The report's sequence within its attempt (1 for the first).</param>
    /// <param name="progress">The reported progress (clamped to [0, 1]; NaN counts as 0).</param>
    /// <param name="details">The reported details.</param>
    /// <returns>Whether it was kept (and so is to be published).</returns>
    public bool TryReport(int atom, bool attemptRunning, long sequence, double progress, string? details)
    {
        if (!attemptRunning || sequence <= _sequence[atom])
        {
            return false;
        }

        _sequence[atom] = sequence;
        _progress[atom] = Math.Clamp(double.IsNaN(progress) ? 0 : progress, 0, 1);
        _details[atom] = details;
        return true;
    }
}
