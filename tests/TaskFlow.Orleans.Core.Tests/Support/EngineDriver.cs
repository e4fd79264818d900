using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Core.Tests.Support;

/// <summary>
/// Drives a <see cref="FlowEngine"/> by hand, standing in for the grain and the executors, and records every state change
/// as TaskFlow's CaptureListener does: <c>"a.t RUNNING"</c> for atoms, <c>"flow.f SUCCESS"</c> for the flow.
/// </summary>
internal sealed class EngineDriver
{
    private readonly Queue<(int Atom, bool IsRevert)> _dispatched = new();

    public EngineDriver(CompiledFlow flow)
        : this(new FlowEngine(flow))
    {
    }

    public EngineDriver(FlowEngine engine) => Engine = engine;

    public FlowEngine Engine { get; }

    public CompiledFlow Flow => Engine.Flow;

    /// <summary>Every state change so far, rendered like TaskFlow's capture listener.</summary>
    public List<string> Trace { get; } = [];

    /// <summary>Every step the engine returned, in order.</summary>
    public List<EngineStep> Steps { get; } = [];

    /// <summary>Atoms whose execute fails when <see cref="RunToEnd"/> completes them.</summary>
    public HashSet<string> FailExecute { get; } = new(StringComparer.Ordinal);

    /// <summary>Atoms whose revert fails when <see cref="RunToEnd"/> completes them.</summary>
    public HashSet<string> FailRevert { get; } = new(StringComparer.Ordinal);

    /// <summary>Dispatched atoms not yet completed, in dispatch order.</summary>
    public IReadOnlyCollection<(int Atom, bool IsRevert)> Outstanding => _dispatched;

    public static string Render(CompiledFlow flow, StateChange change) => change.IsFlow
        ? $"{flow.Name}.f {StateNames.Of(change.FlowTo)}"
        : $"{flow.Atoms[change.AtomId].Name}.t {StateNames.Of(change.AtomTo)}";

    public int Id(string atomName)
    {
        var atom = Flow.Atoms.SingleOrDefault(a => a.Name == atomName)
            ?? throw new ArgumentException($"No atom '{atomName}' in flow '{Flow.Name}'.", nameof(atomName));
        return atom.Id;
    }

    public string Name(int atomId) => Flow.Atoms[atomId].Name;

    public AtomState State(string atomName) => Engine.GetState(Id(atomName));

    public List<string> Names(IEnumerable<int> atomIds) => [.. atomIds.Select(Name)];

    public EngineStep Start() => Record(Engine.Start());

    public EngineStep Resume() => Record(Engine.Resume());

    /// <summary>Completes the execute of one atom, as its executor would.</summary>
    public EngineStep Executed(string atomName, bool succeeded = true)
    {
        Forget(Id(atomName), isRevert: false);
        return Record(Engine.OnExecuted(Id(atomName), succeeded));
    }

    /// <summary>Completes the revert of one atom, as its executor would.</summary>
    public EngineStep Reverted(string atomName, bool succeeded = true)
    {
        Forget(Id(atomName), isRevert: true);
        return Record(Engine.OnReverted(Id(atomName), succeeded));
    }

    /// <summary>Completes dispatched atoms first in, first out (outcomes from <see cref="FailExecute"/> and <see cref="FailRevert"/>) until nothing is outstanding.</summary>
    /// <returns>The flow's final state.</returns>
    public FlowState RunToEnd()
    {
        while (_dispatched.TryDequeue(out var next))
        {
            var name = Name(next.Atom);
            Record(next.IsRevert
                ? Engine.OnReverted(next.Atom, !FailRevert.Contains(name))
                : Engine.OnExecuted(next.Atom, !FailExecute.Contains(name)));
        }

        return Engine.State;
    }

    /// <summary>Each step's dispatched atoms by name (execute and revert), skipping steps that dispatched nothing.</summary>
    public List<string> DispatchBatches() =>
        [.. Steps.Where(s => s.Execute.Count + s.Revert.Count > 0)
            .Select(s => string.Join(" ", s.Execute.Select(a => "+" + Name(a)).Concat(s.Revert.Select(a => "-" + Name(a)))))];

    /// <summary>Like <see cref="DispatchBatches"/>, but each batch sorted by name: for steps whose internal order is unspecified.</summary>
    public List<string> DispatchSets() =>
        [.. DispatchBatches().Select(batch => string.Join(" ", batch.Split(' ').Order(StringComparer.Ordinal)))];

    private EngineStep Record(EngineStep step)
    {
        Steps.Add(step);
        Trace.AddRange(step.Changes.Select(change => Render(Flow, change)));
        foreach (var atom in step.Execute)
        {
            _dispatched.Enqueue((atom, false));
        }

        foreach (var atom in step.Revert)
        {
            _dispatched.Enqueue((atom, true));
        }

        return step;
    }

    private void Forget(int atom, bool isRevert)
    {
        var kept = _dispatched.Where(d => d != (atom, isRevert)).ToList();
        _dispatched.Clear();
        foreach (var d in kept)
        {
            _dispatched.Enqueue(d);
        }
    }
}
