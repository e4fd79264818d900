using System.Collections.Immutable;
using Orleans.Serialization;
using TaskFlow.Orleans.Grains.Security;

using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>Turns logbook records into the bytes a store keeps, with the Orleans binary serializer (version tolerant through
/// each record's <c>[Id]</c>s, and exact about the types of object-typed results).</summary>
internal sealed class LogbookSerializer
{
    private readonly Serializer _serializer;
    private readonly ValueMask _mask;

    /// <summary>Creates the serializer; nothing is encrypted.</summary>
    /// <param name="serializer">The silo's Orleans serializer.</param>
    public LogbookSerializer(Serializer serializer)
        : this(serializer, ValueMask.None)
    {
    }

    /// <summary>Creates the serializer that stores masked values encrypted (<see cref="ValueMask.Protector"/>).</summary>
    /// <param name="serializer">The silo's Orleans serializer.</param>
    /// <param name="mask">Which values are masked, and the keys that seal them.</param>
    public LogbookSerializer(Serializer serializer, ValueMask mask)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(mask);
        _serializer = serializer;
        _mask = mask;
    }

    /// <summary>Serializes an atom's record, its result sealed when the atom provides a masked name.</summary>
    /// <param name="record">The record.</param>
    /// <param name="runId">The run.</param>
    /// <param name="atom">The atom's setup.</param>
    /// <param name="atomId">The atom's id.</param>
    /// <returns>The bytes.</returns>
    public byte[] SerializeAtom(AtomRecord record, string runId, TaskFlow.Orleans.Storage.AtomSetup atom, int atomId)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(atom);
        if (_mask.Protector is not { } protector || !record.HasResult || record.Result is null or SealedValue || !_mask.IsResultMasked(atom.Provides))
        {
            return Serialize(record);
        }

        var copy = record.Clone();
        copy.Result = protector.Seal(record.Result, AtomContext(runId, atomId));
        return Serialize(copy);
    }

    /// <summary>Deserializes an atom's record, unsealing a sealed result.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="runId">The run.</param>
    /// <param name="atomId">The atom's id.</param>
    /// <returns>The record.</returns>
    public AtomRecord DeserializeAtom(byte[] bytes, string runId, int atomId)
    {
        var record = Deserialize<AtomRecord>(bytes);
        if (record.Result is SealedValue sealedValue)
        {
            record.Result = Protector(runId).Unseal(sealedValue, AtomContext(runId, atomId));
        }

        return record;
    }

    /// <summary>Serializes a run's header, its masked inputs sealed.</summary>
    /// <param name="header">The header.</param>
    /// <param name="runId">The run.</param>
    /// <returns>The bytes.</returns>
    public byte[] SerializeHeader(RunHeader header, string runId)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (_mask.Protector is not { } protector || !header.Setup.Inputs.Keys.Any(_mask.IsMasked))
        {
            return Serialize(header);
        }

        var inputs = header.Setup.Inputs.ToImmutableDictionary(
            i => i.Key, i => _mask.IsMasked(i.Key) && i.Value is not SealedValue ? protector.Seal(i.Value, InputContext(runId, i.Key)) : i.Value, StringComparer.Ordinal);
        return Serialize(header.WithSetup(header.Setup with { Inputs = inputs }));
    }

    /// <summary>Deserializes a run's header, unsealing sealed inputs.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="runId">The run.</param>
    /// <returns>The header.</returns>
    public RunHeader DeserializeHeader(byte[] bytes, string runId)
    {
        var header = Deserialize<RunHeader>(bytes);
        if (!header.Setup.Inputs.Values.Any(v => v is SealedValue))
        {
            return header;
        }

        var protector = Protector(runId);
        var inputs = header.Setup.Inputs.ToImmutableDictionary(
            i => i.Key, i => i.Value is SealedValue sealedValue ? protector.Unseal(sealedValue, InputContext(runId, i.Key)) : i.Value, StringComparer.Ordinal);
        return header.WithSetup(header.Setup with { Inputs = inputs });
    }

    private MaskedValueProtector Protector(string runId) => _mask.Protector ?? throw new FlowStorageException(
        $"Run '{runId}' holds masked values stored encrypted, and this silo has no key to read them: configure the cluster's " +
        "TaskFlow:EncryptionKeys on this silo.");

    private static string AtomContext(string runId, int atomId) => $"{runId}/atom/{atomId}";

    private static string InputContext(string runId, string name) => $"{runId}/input/{name}";

    /// <summary>Serializes a record.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="value">The record.</param>
    /// <returns>The bytes.</returns>
    public byte[] Serialize<T>(T value) => _serializer.SerializeToArray(value);

    /// <summary>Deserializes a record.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The record.</returns>
    public T Deserialize<T>(byte[] bytes) => _serializer.Deserialize<T>(bytes)
        ?? throw new InvalidOperationException($"The payload holds no {typeof(T).Name}.");
}
