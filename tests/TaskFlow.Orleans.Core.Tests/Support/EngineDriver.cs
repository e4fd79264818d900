using System.Collections.Immutable;
using System.Globalization;
using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Core.Engine;
using TaskFlow.Orleans.Core.Retries;
using TaskFlow.Orleans.Core.Storage;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Tests.Support;

/// <summary>
/// Drives a <see cref="FlowEngine"/> by hand, standing in for the grain shell and the executors: arguments come from a
/// <see cref="FlowStore"/> (so retries' provided values reach tasks), tasks do what the catalog says, retry controllers run
/// locally. Records every state change twice: <see cref="Trace"/> as <c>"a.t RUNNING"</c>, and <see cref="Capture"/> as TaskFlow's
/// CaptureListener does, with results: <c>"a.t SUCCESS(5)"</c>, <c>"r.r SUCCESS(1)"</c>, <c>"f.f REVERTED"</c>.
/// </summary>
internal sealed class EngineDriver
{
    public static readonly Failure Woot = Failure.FromException(new RuntimeError("Woot!"));
    public static readonly Failure Gotcha = Failure.FromException(new RuntimeError("Gotcha!"));

    private readonly Queue<Dispatch> _dispatched = new();
    private readonly FakeTaskCatalog? _catalog;

    /// <summary>One command the engine gave and the driver has not completed yet.</summary>
    internal readonly record struct Dispatch(int Atom, bool IsRevert);

    public EngineDriver(CompiledFlow flow)
        : this(new FlowEngine(flow))
    {
    }

    public EngineDriver(CompiledFlow flow, FakeTaskCatalog? catalog, IReadOnlyDictionary<string, object?>? inputs = null)
        : this(new FlowEngine(flow), catalog, inputs)
    {
    }

    public EngineDriver(FlowEngine engine, FakeTaskCatalog? catalog = null, IReadOnlyDictionary<string, object?>? inputs = null, FlowStore? store = null)
    {
        Engine = engine;
        _catalog = catalog;
        Store = store ?? new FlowStore(engine.Flow.CreateStorageSetup((inputs ?? new Dictionary<string, object?>()).ToImmutableDictionary()));
    }

    public FlowEngine Engine { get; }

    public FlowStore Store { get; }

    public CompiledFlow Flow => Engine.Flow;

    /// <summary>Every state change so far: <c>"a.t RUNNING"</c>, <c>"r.r RETRYING"</c>, <c>"f.f SUCCESS"</c>.</summary>
    public List<string> Trace { get; } = [];

    /// <summary>Every state change so far in TaskFlow's CaptureListener form, with results: <c>"a.t SUCCESS(5)"</c>, <c>"a.t REVERTED(None)"</c>.</summary>
    public List<string> Capture { get; } = [];

    /// <summary>Every step the engine returned, in order.</summary>
    public List<EngineStep> Steps { get; } = [];

    /// <summary>Atoms whose execute fails (RuntimeError: Woot!) whatever their task does.</summary>
    public HashSet<string> FailExecute { get; } = new(StringComparer.Ordinal);

    /// <summary>Atoms whose revert fails (RuntimeError: Gotcha!).</summary>
    public HashSet<string> FailRevert { get; } = new(StringComparer.Ordinal);

    /// <summary>Dispatched atoms not yet completed, in dispatch order.</summary>
    public IReadOnlyCollection<Dispatch> Outstanding => _dispatched;

    public static string Render(CompiledFlow flow, StateChange change) => change.IsFlow
        ? $"{flow.Name}.f {StateNames.Of(change.FlowTo)}"
        : $"{flow.Atoms[change.AtomId].Name}.{(flow.Atoms[change.AtomId].IsRetry ? 'r' : 't')} {StateNames.Of(change.AtomTo)}";

    /// <summary>Renders a value as TaskFlow's capture listener prints results.</summary>
    public static string Show(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        Failure failure => $"Failure: {ShortName(failure.ExceptionTypeName)}: {failure.Message}",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

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

    public EngineStep Suspend() => Record(Engine.Suspend());

    public EngineStep Cancel(Failure? reason = null) => Record(Engine.Cancel(reason));

    /// <summary>Completes the execute of one task with a forced outcome, as its executor would.</summary>
    public EngineStep Executed(string atomName, bool succeeded = true, object? result = null)
    {
        var atom = Id(atomName);
        Forget(atom, isRevert: false);
        return succeeded ? Succeed(atom, result, null) : Fail(atom, Woot, isRevert: false);
    }

    /// <summary>Completes the revert of one atom with a forced outcome, as its executor would.</summary>
    public EngineStep Reverted(string atomName, bool succeeded = true)
    {
        var atom = Id(atomName);
        Forget(atom, isRevert: true);
        return succeeded ? Succeed(atom, null, null, isRevert: true) : Fail(atom, Gotcha, isRevert: true);
    }

    /// <summary>Completes what is outstanding for one atom (execute or revert) by running it: the task's behaviour or the retry's controller.</summary>
    public EngineStep Complete(string atomName)
    {
        var atom = Id(atomName);
        var dispatch = _dispatched.FirstOrDefault(d => d.Atom == atom);
        if (!_dispatched.Contains(dispatch))
        {
            throw new InvalidOperationException($"Atom '{atomName}' has nothing outstanding.");
        }

        Forget(atom, dispatch.IsRevert);
        return Run(dispatch);
    }

    /// <summary>Completes dispatched atoms first in, first out, by running them, until nothing is outstanding.</summary>
    /// <param name="maxCompletions">A guard against flows that never end (a retry that keeps retrying).</param>
    /// <returns>The flow's final state.</returns>
    public FlowState RunToEnd(int maxCompletions = 100_000)
    {
        var completions = 0;
        while (_dispatched.TryDequeue(out var next))
        {
            if (++completions > maxCompletions)
            {
                throw new InvalidOperationException($"Flow '{Flow.Name}' did not end after {maxCompletions} completions.");
            }

            Run(next);
        }

        return Engine.State;
    }

    /// <summary>Each step's dispatched atoms by name (execute and revert), skipping steps that dispatched nothing.</summary>
    public List<string> DispatchBatches() =>
        [.. Steps.Where(s => s.Execute.Count + s.Revert.Count + s.ExecuteRetries.Count + s.RevertRetries.Count > 0)
            .Select(s => string.Join(" ", s.Execute.Concat(s.ExecuteRetries).Select(a => "+" + Name(a))
                .Concat(s.Revert.Concat(s.RevertRetries).Select(a => "-" + Name(a)))))];

    /// <summary>Like <see cref="DispatchBatches"/>, but each batch sorted by name: for steps whose internal order is unspecified.</summary>
    public List<string> DispatchSets() =>
        [.. DispatchBatches().Select(batch => string.Join(" ", batch.Split(' ').Order(StringComparer.Ordinal)))];

    private EngineStep Run(Dispatch dispatch)
    {
        var atom = dispatch.Atom;
        var compiled = Flow.Atoms[atom];
        var name = compiled.Name;
        if (dispatch.IsRevert)
        {
            if (FailRevert.Contains(name))
            {
                return Fail(atom, Gotcha, isRevert: true);
            }

            var prepared = Store.PrepareRevert(atom);
            try
            {
                if (compiled.Retry is { } retry)
                {
                    var arguments = new Dictionary<string, object?>(prepared.Arguments) { [RetryArguments.FlowFailures] = prepared.FlowFailures };
                    retry.Controller.Revert(Engine.GetRetryHistory(atom), arguments);
                }
                else if (_catalog?.Reverts.TryGetValue(compiled.TaskName, out var revert) == true)
                {
                    revert(prepared.Arguments);
                }
            }
            catch (Exception exception)
            {
                return Fail(atom, Failure.FromException(exception), isRevert: true);
            }

            return Succeed(atom, null, null, isRevert: true);
        }

        if (FailExecute.Contains(name))
        {
            return Fail(atom, Woot, isRevert: false);
        }

        if (!Store.TryPrepareExecute(atom, out var args, out var missing))
        {
            return Fail(atom, missing!, isRevert: false);
        }

        object? value;
        try
        {
            if (compiled.Retry is { } retry)
            {
                value = retry.Controller.Execute(Engine.GetRetryHistory(atom), args);
            }
            else
            {
                value = _catalog?.Executes.TryGetValue(compiled.TaskName, out var execute) == true ? execute(args) : null;
            }
        }
        catch (Exception exception)
        {
            return Fail(atom, Failure.FromException(exception), isRevert: false);
        }

        return Succeed(atom, value, args);
    }

    private EngineStep Succeed(int atom, object? value, IReadOnlyDictionary<string, object?>? arguments, bool isRevert = false)
    {
        Store.Save(new AtomCompletion(atom, isRevert, value, null));
        if (isRevert)
        {
            return Record(Engine.OnReverted(atom), atom, "None");
        }

        return Record(Flow.Atoms[atom].IsRetry ? Engine.OnRetryExecuted(atom, value, arguments) : Engine.OnExecuted(atom, value), atom, Show(value));
    }

    private EngineStep Fail(int atom, Failure failure, bool isRevert)
    {
        Store.Save(new AtomCompletion(atom, isRevert, null, failure));
        return Record(isRevert ? Engine.OnRevertFailed(atom, failure) : Engine.OnExecuteFailed(atom, failure), atom, Show(failure));
    }

    private EngineStep Record(EngineStep step, int completed = -1, string? result = null)
    {
        Steps.Add(step);
        foreach (var change in step.Changes)
        {
            var line = Render(Flow, change);
            Trace.Add(line);
            var withResult = !change.IsFlow && change.AtomId == completed
                && change.AtomTo is AtomState.Success or AtomState.Failure or AtomState.Reverted or AtomState.RevertFailure;
            Capture.Add(withResult ? $"{line}({result})" : line);
        }

        foreach (var atom in step.Execute.Concat(step.ExecuteRetries))
        {
            _dispatched.Enqueue(new Dispatch(atom, false));
        }

        foreach (var atom in step.Revert.Concat(step.RevertRetries))
        {
            _dispatched.Enqueue(new Dispatch(atom, true));
        }

        return step;
    }

    private void Forget(int atom, bool isRevert)
    {
        var kept = _dispatched.Where(d => d != new Dispatch(atom, isRevert)).ToList();
        _dispatched.Clear();
        foreach (var d in kept)
        {
            _dispatched.Enqueue(d);
        }
    }

    private static string ShortName(string typeName)
    {
        var cut = typeName.LastIndexOfAny(['.', '+']);
        return cut < 0 ? typeName : typeName[(cut + 1)..];
    }
}
