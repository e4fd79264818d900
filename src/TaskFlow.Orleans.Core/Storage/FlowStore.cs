using System.Collections.Immutable;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Storage;

namespace TaskFlow.Orleans.Core.Storage;

/// <summary>
/// The in-memory storage of one flow run: inputs, injected values, each atom's result and failures, and argument
/// preparation from the bindings the compiler decided. The storage grain wraps it and persists its contents.
/// </summary>
internal sealed class FlowStore
{
    private readonly StorageSetup _setup;
    private readonly Dictionary<int, object?> _results;
    private readonly Dictionary<int, Failure> _failures;
    private readonly Dictionary<int, Failure> _revertFailures;

    /// <summary>Creates an empty store for a flow run.</summary>
    /// <param name="setup">Atoms, bindings and inputs.</param>
    public FlowStore(StorageSetup setup)
        : this(setup, [], [], [])
    {
    }

    /// <summary>Restores a store from persisted contents.</summary>
    /// <param name="setup">Atoms, bindings and inputs.</param>
    /// <param name="results">Execute results by atom id.</param>
    /// <param name="failures">Execute failures by atom id.</param>
    /// <param name="revertFailures">Revert failures by atom id.</param>
    public FlowStore(StorageSetup setup, Dictionary<int, object?> results, Dictionary<int, Failure> failures, Dictionary<int, Failure> revertFailures)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _setup = setup;
        _results = results;
        _failures = failures;
        _revertFailures = revertFailures;
    }

    /// <summary>Atoms, bindings and inputs.</summary>
    public StorageSetup Setup => _setup;

    /// <summary>Execute results by atom id (live; copy before persisting concurrently).</summary>
    public Dictionary<int, object?> Results => _results;

    /// <summary>Execute failures by atom id.</summary>
    public Dictionary<int, Failure> Failures => _failures;

    /// <summary>Revert failures by atom id.</summary>
    public Dictionary<int, Failure> RevertFailures => _revertFailures;

    /// <summary>Saves an execute or revert outcome.</summary>
    /// <param name="completion">The outcome.</param>
    public void Save(AtomCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        if (completion.IsRevert)
        {
            if (completion.Failure is { } revertFailure)
            {
                _revertFailures[completion.AtomId] = revertFailure;
            }

            return;
        }

        if (completion.Failure is { } failure)
        {
            _results.Remove(completion.AtomId);
            _failures[completion.AtomId] = failure;
        }
        else
        {
            _failures.Remove(completion.AtomId);
            _results[completion.AtomId] = completion.Value;
        }
    }

    /// <summary>Prepares the arguments of an atom about to execute.</summary>
    /// <param name="atomId">The atom.</param>
    /// <param name="arguments">The arguments, when every required one was found.</param>
    /// <param name="failure">Why an argument could not be found, otherwise.</param>
    /// <returns>Whether the arguments are complete.</returns>
    public bool TryPrepareExecute(int atomId, out Dictionary<string, object?> arguments, out Failure? failure)
    {
        var atom = _setup.Atoms[atomId];
        arguments = new Dictionary<string, object?>(atom.Arguments.Length, StringComparer.Ordinal);
        failure = null;
        foreach (var binding in atom.Arguments)
        {
            switch (binding.Kind)
            {
                case ArgumentSourceKind.Injected:
                    arguments[binding.Argument] = atom.Injected[binding.Key];
                    break;
                case ArgumentSourceKind.Input:
                    arguments[binding.Argument] = _setup.Inputs[binding.Key];
                    break;
                case ArgumentSourceKind.Result:
                    if (!_results.TryGetValue(binding.ProviderAtomId, out var result))
                    {
                        var provider = _setup.Atoms[binding.ProviderAtomId].Name;
                        failure = Failure.Create("TaskFlow.Orleans.MissingArgumentException",
                            $"Atom '{atom.Name}' needs '{binding.Key}' for argument '{binding.Argument}' from atom '{provider}', which has no result " +
                            $"(it did not run successfully). Make sure '{provider}' runs before '{atom.Name}'.");
                        return false;
                    }

                    try
                    {
                        var provides = _setup.Atoms[binding.ProviderAtomId].Provides;
                        arguments[binding.Argument] = ProvidedValue.Extract(result, binding.Key, binding.ProvidesIndex, provides.Length);
                    }
                    catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
                    {
                        failure = Failure.FromException(exception);
                        return false;
                    }

                    break;
                default:
                    // Optional and not visible: the parameter's default applies.
                    break;
            }
        }

        return true;
    }

    /// <summary>Prepares what an atom's revert needs: its execute arguments, its result or failure, and the flow's failures.</summary>
    /// <param name="atomId">The atom.</param>
    /// <returns>The prepared revert.</returns>
    public PreparedRevert PrepareRevert(int atomId)
    {
        // Results and inputs are never removed, so arguments that cannot be found now could not be found when the atom was
        // to execute either: it failed without running, and calling its revert would only fail on the missing argument
        // (ending the flow FAILURE and leaving its predecessors unreverted). There is nothing to undo.
        var resolved = TryPrepareExecute(atomId, out var arguments, out _);
        return new PreparedRevert
        {
            Arguments = arguments,
            Result = _results.GetValueOrDefault(atomId),
            ExecuteFailure = _failures.GetValueOrDefault(atomId),
            FlowFailures = FlowFailures(),
            NothingToRevert = _failures.TryGetValue(atomId, out var failure) && (!resolved || NeverRan(failure)),
        };
    }

    /// <summary>
    /// Whether a failure says the task never started: it is not registered where it was sent, or no silo can run it
    /// (a capability nobody advertises). Such an atom has nothing to undo, and its revert could not run either.
    /// </summary>
    private static bool NeverRan(Failure failure)
    {
        for (var current = failure; current is not null; current = current.Cause)
        {
            if (current.Check("TaskFlow.Orleans.TaskNotRegisteredException") is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every execute failure of the flow by atom name (TaskFlow's <c>flow_failures</c>).</summary>
    /// <returns>The failures.</returns>
    public Dictionary<string, Failure> FlowFailures()
    {
        var failures = new Dictionary<string, Failure>(_failures.Count, StringComparer.Ordinal);
        foreach (var (atomId, failure) in _failures)
        {
            failures[_setup.Atoms[atomId].Name] = failure;
        }

        return failures;
    }

    /// <summary>Everything stored, with results also by provided name.</summary>
    /// <returns>The results.</returns>
    public StoredResults GetResults()
    {
        var named = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        foreach (var atom in _setup.Atoms)
        {
            if (!_results.TryGetValue(atom.Id, out var result))
            {
                continue;
            }

            for (var i = 0; i < atom.Provides.Length; i++)
            {
                try
                {
                    named[atom.Provides[i]] = ProvidedValue.Extract(result, atom.Provides[i], atom.Provides.Length == 1 ? -1 : i, atom.Provides.Length);
                }
                catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
                {
                    // A result that cannot be split is still visible whole in the atom's snapshot.
                }
            }
        }

        return new StoredResults
        {
            Results = _results.ToImmutableDictionary(),
            Failures = _failures.ToImmutableDictionary(),
            RevertFailures = _revertFailures.ToImmutableDictionary(),
            Named = named.ToImmutable(),
        };
    }
}
