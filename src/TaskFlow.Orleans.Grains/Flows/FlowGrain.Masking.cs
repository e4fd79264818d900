using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Snapshots;

namespace TaskFlow.Orleans.Grains.Flows;

/// <summary>Masked values (<c>TaskFlowOptions.MaskedKeys</c>): the engine knows the run's secrets in clear (its masked inputs
/// and the results of atoms that provide a masked name) so that a failure quoting one is stored and published redacted, and
/// what it publishes (events, listeners) and answers (snapshots) shows <see cref="FlowSnapshot.MaskedValue"/> instead.</summary>
internal sealed partial class FlowGrain
{
    private readonly List<string> _secrets = [];
    private HashSet<string> _maskedAtoms = new(StringComparer.Ordinal);

    /// <summary>Learns the run's masked inputs, which atoms' results are masked, and those already stored.</summary>
    private void CollectSecrets(RunHeader header, IReadOnlyList<AtomRecord>? atoms)
    {
        _secrets.Clear();
        if (_mask.IsEmpty)
        {
            return;
        }

        var setup = header.Setup.Atoms;
        _maskedAtoms = [.. setup.Where(a => _mask.IsResultMasked(a.Provides)).Select(a => a.Name)];
        var values = header.Setup.Inputs.ToList();
        for (var id = 0; atoms is not null && id < atoms.Count && id < setup.Length; id++)
        {
            if (atoms[id] is { HasResult: true } record && _mask.IsResultMasked(setup[id].Provides))
            {
                values.Add(KeyValuePair.Create(setup[id].Provides.First(_mask.IsMasked), record.Result));
            }
        }

        _secrets.AddRange(_mask.SecretsOf(values));
    }

    /// <summary>An outcome as it may be stored and published: a failure quoting a secret redacted; a masked result
    /// remembered as a secret.</summary>
    private ExecutionResult Redact(int atomId, ExecutionResult result)
    {
        if (_mask.IsEmpty || _header is null || atomId >= _header.Setup.Atoms.Length)
        {
            return result;
        }

        var setup = _header.Setup.Atoms[atomId];
        if (result.Failure is null && _mask.IsResultMasked(setup.Provides))
        {
            foreach (var secret in _mask.SecretsOf([KeyValuePair.Create(setup.Provides.First(_mask.IsMasked), result.Value)]))
            {
                if (!_secrets.Contains(secret))
                {
                    _secrets.Add(secret);
                }
            }

            _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        }

        return result.Failure is null ? result : result with { Failure = Security.ValueMask.Redact(result.Failure, _secrets) };
    }

    /// <summary>An event as watchers and listeners may see it.</summary>
    private FlowEvent Mask(FlowEvent flowEvent) =>
        _mask.IsEmpty ? flowEvent : _mask.Apply(flowEvent, _maskedAtoms.Contains(flowEvent.Name), _secrets);
}
