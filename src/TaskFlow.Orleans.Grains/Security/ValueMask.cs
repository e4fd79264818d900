using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using TaskFlow.Orleans.Failures;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Snapshots;

namespace TaskFlow.Orleans.Grains.Security;

/// <summary>
/// Keeps masked values (<see cref="TaskFlowOptions.MaskedKeys"/>) from leaving the silos in clear: what clients, listeners and
/// logs receive (snapshots, results, events, failures) shows <see cref="FlowSnapshot.MaskedValue"/> instead, and the
/// <see cref="Protector"/> encrypts them in the logbook. Only tasks receive them, as arguments.
/// </summary>
internal sealed class ValueMask
{
    /// <summary>A quoted value shorter than this is not searched for in failure messages (it would mask every "1").</summary>
    public const int MinimumQuotedLength = 4;

    private readonly ImmutableHashSet<string> _names;

    /// <summary>Creates the mask from the silo's options.</summary>
    /// <param name="options">The options.</param>
    /// <param name="serializer">Serializes values for encryption.</param>
    public ValueMask(IOptions<TaskFlowOptions> options, Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(options);
        _names = options.Value.MaskedKeys.ToImmutableHashSet(StringComparer.Ordinal);
        Protector = options.Value.EncryptionKeys.Count > 0 && MaskedValueProtector.CurrentKeyId(options.Value) is not null
            ? new MaskedValueProtector(options.Value, serializer)
            : null;
    }

    /// <summary>A mask that masks nothing.</summary>
    public static ValueMask None { get; } = new();

    private ValueMask() => _names = ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal);

    /// <summary>Whether no name is masked.</summary>
    public bool IsEmpty => _names.Count == 0;

    /// <summary>Encrypts masked values at rest, when a key is configured.</summary>
    public MaskedValueProtector? Protector { get; }

    /// <summary>Whether values of this input or result name are masked.</summary>
    /// <param name="name">The name.</param>
    /// <returns>Whether it is masked.</returns>
    public bool IsMasked(string? name) => name is not null && _names.Contains(name);

    /// <summary>Whether an atom's result is masked: it provides a masked name.</summary>
    /// <param name="provides">The names the atom provides.</param>
    /// <returns>Whether its result is masked.</returns>
    public bool IsResultMasked(ImmutableArray<string> provides) => !IsEmpty && !provides.IsDefaultOrEmpty && provides.Any(_names.Contains);

    /// <summary>The snapshot as clients may see it: masked inputs, results, atom results and arguments shown as
    /// <see cref="FlowSnapshot.MaskedValue"/>, and masked values quoted in failure messages replaced by it.</summary>
    /// <param name="snapshot">The snapshot with values in clear.</param>
    /// <returns>The masked snapshot.</returns>
    public FlowSnapshot Apply(FlowSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (IsEmpty)
        {
            return snapshot;
        }

        var secrets = SecretsOf(snapshot);
        var masked = snapshot.Inputs.Keys.Concat(snapshot.Results.Keys).Concat(snapshot.Atoms.SelectMany(a => a.Provides.IsDefault ? [] : a.Provides))
            .Where(_names.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        return snapshot with
        {
            Inputs = MaskValues(snapshot.Inputs, secrets),
            Results = MaskValues(snapshot.Results, secrets),
            Failures = snapshot.Failures.ToImmutableDictionary(f => f.Key, f => Redact(f.Value, secrets)!, StringComparer.Ordinal),
            Atoms = [.. snapshot.Atoms.Select(atom => atom with
            {
                Result = IsResultMasked(atom.Provides) && atom.Result is not null ? FlowSnapshot.MaskedValue : atom.Result,
                Arguments = MaskValues(atom.Arguments, secrets),
                Failure = Redact(atom.Failure, secrets),
                RevertFailure = Redact(atom.RevertFailure, secrets),
                ProgressDetails = RedactText(atom.ProgressDetails, secrets),
            })],
            MaskedNames = masked,
        };
    }

    /// <summary>An event as watchers and listeners may see it: the result of an atom that provides a masked name masked, and
    /// masked values quoted in its failure or progress text replaced.</summary>
    /// <param name="flowEvent">The event.</param>
    /// <param name="resultMasked">Whether the event's atom provides a masked name.</param>
    /// <param name="secrets">The run's masked values in clear (<see cref="SecretsOf(IEnumerable{KeyValuePair{string, object}})"/>).</param>
    /// <returns>The masked event.</returns>
    public FlowEvent Apply(FlowEvent flowEvent, bool resultMasked, IReadOnlyCollection<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(flowEvent);
        if (IsEmpty)
        {
            return flowEvent;
        }

        return flowEvent with
        {
            Result = resultMasked && flowEvent.Result is not null ? FlowSnapshot.MaskedValue : flowEvent.Result,
            Failure = Redact(flowEvent.Failure, secrets),
            ProgressDetails = RedactText(flowEvent.ProgressDetails, secrets),
        };
    }

    /// <summary>A run's inputs as listeners may see them: masked ones as <see cref="FlowSnapshot.MaskedValue"/>.</summary>
    /// <param name="inputs">The inputs in clear.</param>
    /// <returns>The masked inputs.</returns>
    public ImmutableDictionary<string, object?> MaskInputs(ImmutableDictionary<string, object?> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return IsEmpty || !inputs.Keys.Any(_names.Contains)
            ? inputs
            : inputs.ToImmutableDictionary(i => i.Key, i => _names.Contains(i.Key) ? FlowSnapshot.MaskedValue : i.Value, StringComparer.Ordinal);
    }

    /// <summary>The text forms of the masked values in a snapshot, to find them quoted in messages.</summary>
    /// <param name="snapshot">The snapshot with values in clear.</param>
    /// <returns>The texts, longest first.</returns>
    public IReadOnlyCollection<string> SecretsOf(FlowSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return SecretsOf(snapshot.Inputs.Concat(snapshot.Results)
            .Concat(snapshot.Atoms.Where(a => IsResultMasked(a.Provides)).Select(a => KeyValuePair.Create(_names.First(), a.Result))));
    }

    /// <summary>The text forms of the masked values among <paramref name="values"/>, longest first.</summary>
    /// <param name="values">Named values.</param>
    /// <returns>The texts.</returns>
    public IReadOnlyCollection<string> SecretsOf(IEnumerable<KeyValuePair<string, object?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (IsEmpty)
        {
            return [];
        }

        return values.Where(v => _names.Contains(v.Key)).Select(v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture))
            .Where(text => text is { Length: >= MinimumQuotedLength } && text != FlowSnapshot.MaskedValue).Select(text => text!)
            .Distinct(StringComparer.Ordinal).OrderByDescending(text => text.Length).ToList();
    }

    /// <summary>A failure with every quoted masked value replaced by <see cref="FlowSnapshot.MaskedValue"/>, in its message,
    /// stack trace and causes.</summary>
    /// <param name="failure">The failure.</param>
    /// <param name="secrets">The masked values' texts.</param>
    /// <returns>The redacted failure.</returns>
    public static Failure? Redact(Failure? failure, IReadOnlyCollection<string> secrets)
    {
        if (failure is null || secrets.Count == 0)
        {
            return failure;
        }

        return failure with
        {
            Message = RedactText(failure.Message, secrets)!,
            StackTrace = RedactText(failure.StackTrace, secrets),
            Cause = Redact(failure.Cause, secrets),
        };
    }

    private static string? RedactText(string? text, IReadOnlyCollection<string> secrets)
    {
        if (string.IsNullOrEmpty(text) || secrets.Count == 0)
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            text = text.Replace(secret, FlowSnapshot.MaskedValue, StringComparison.Ordinal);
        }

        return text;
    }

    private ImmutableDictionary<string, object?> MaskValues(ImmutableDictionary<string, object?> values, IReadOnlyCollection<string> secrets)
    {
        if (values.IsEmpty)
        {
            return values;
        }

        var builder = values.ToBuilder();
        foreach (var (key, value) in values)
        {
            // By name, or by value: an argument bound (rebound) to a masked input has a name of its own but holds the secret.
            if (_names.Contains(key) || (value is not null && secrets.Contains(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "")))
            {
                builder[key] = FlowSnapshot.MaskedValue;
            }
        }

        return builder.ToImmutable();
    }
}
