using TaskFlow.Orleans.Core.Retries;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Authoring;

namespace TaskFlow.Orleans.Core.Compilation;

internal sealed partial class FlowCompiler
{
    /// <summary>Each retry's controller: built-in, or resolved by its registered name.</summary>
    private readonly Dictionary<AtomItem, IRetryController> _controllers = [];

    /// <summary>Checks every retry controller and resolves its code; a retry must control at least one task.</summary>
    private void ValidateRetries()
    {
        foreach (var atom in _atoms)
        {
            if (atom.Retry is not { } retry)
            {
                continue;
            }

            var pattern = (PatternItem)atom.Parent!;
            if (!ContainsTask(pattern))
            {
                Report("retry-without-subflow", pattern.Name, atom.Name,
                    $"Retry '{atom.Name}' of flow '{pattern.Name}' controls nothing: '{pattern.Name}' has no tasks. A retry runs before its " +
                    $"flow's tasks and resolves their failures; add tasks to '{pattern.Name}', or remove the retry.");
            }

            switch (retry.Kind)
            {
                case RetryKind.Times when retry.Attempts < 0:
                    Report("bad-retry", pattern.Name, atom.Name,
                        $"Retry '{atom.Name}' of flow '{pattern.Name}' is Times({retry.Attempts}); attempts cannot be negative. " +
                        "Use Retry.Times(0) to give up at the first failure.");
                    break;
                case RetryKind.ForEach when retry.Values.IsDefaultOrEmpty:
                    Report("bad-retry", pattern.Name, atom.Name,
                        $"Retry '{atom.Name}' of flow '{pattern.Name}' is ForEach over no values, so it would fail before the first attempt " +
                        "('No elements left'). Give Retry.ForEach at least one value.");
                    break;
            }

            if (retry.Kind == RetryKind.Custom)
            {
                ResolveCustom(atom, retry, pattern);
            }
            else if (Enum.IsDefined(retry.Kind))
            {
                _controllers[atom] = RetryControllers.CreateBuiltIn(retry, atom.Name);
            }
            else
            {
                Report("bad-retry", pattern.Name, atom.Name,
                    $"Retry '{atom.Name}' of flow '{pattern.Name}' has unknown kind {(int)retry.Kind}. Build retries with the Retry factories.");
            }
        }
    }

    private void ResolveCustom(AtomItem atom, RetryDefinition retry, PatternItem pattern)
    {
        var name = retry.ControllerName;
        if (!string.IsNullOrWhiteSpace(name) && _catalog.TryGetRetryController(name, out var controller))
        {
            _controllers[atom] = controller;
            return;
        }

        var registered = _catalog.RetryControllerNames.Order(StringComparer.Ordinal).Take(20).ToList();
        Report("unknown-retry-controller", pattern.Name, atom.Name,
            $"Retry '{atom.Name}' of flow '{pattern.Name}' uses controller '{name}', which is not registered on this silo. " +
            "Register the controller on every silo, or fix the name. " +
            $"Registered retry controllers: {(registered.Count == 0 ? "none" : string.Join(", ", registered))}.");
    }

    private static bool ContainsTask(PatternItem pattern) =>
        pattern.Children.Any(child => child is AtomItem || (child is PatternItem nested && ContainsTask(nested)));

    /// <summary>A retry's arguments are its requires (ParameterizedForEach: <c>values</c>; a custom controller: what it declares), after rebind.</summary>
    private void ComputeRetrySymbols(AtomItem atom)
    {
        var definition = atom.Definition;
        var flowName = atom.Parent!.Name;
        atom.ProvidesOrdered = [.. definition.Provides];
        foreach (var name in atom.ProvidesOrdered)
        {
            if (!atom.Provides.Add(name))
            {
                Report("duplicate-provides", flowName, atom.Name,
                    $"Retry '{atom.Name}' of flow '{flowName}' provides '{name}' twice. List each provided name once.");
            }
        }

        var arguments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var argument in definition.Requires)
        {
            if (arguments.Add(argument))
            {
                var key = definition.Rebind.TryGetValue(argument, out var source) ? source : argument;
                atom.Arguments.Add((argument, key, true));
                atom.Requires.Add(key);
            }
        }

        foreach (var argument in definition.Rebind.Keys.Where(k => !arguments.Contains(k)).Order(StringComparer.Ordinal))
        {
            Report("unknown-rebind", flowName, atom.Name,
                $"Retry '{atom.Name}' of flow '{flowName}' rebinds '{argument}', but it has no argument named '{argument}'. " +
                $"Its arguments are: {(arguments.Count == 0 ? "none" : string.Join(", ", arguments.Order(StringComparer.Ordinal)))}. " +
                $"Fix the rebind, or add '{argument}' to the retry's requires.");
        }
    }
}
