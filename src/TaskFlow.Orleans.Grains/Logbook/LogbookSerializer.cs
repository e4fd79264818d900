using Orleans.Serialization;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>Turns logbook records into the bytes a store keeps, with the Orleans binary serializer (version tolerant through
/// each record's <c>[Id]</c>s, and exact about the types of object-typed results).</summary>
public sealed class LogbookSerializer
{
    private readonly Serializer _serializer;

    /// <summary>Creates the serializer.</summary>
    /// <param name="serializer">The silo's Orleans serializer.</param>
    public LogbookSerializer(Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _serializer = serializer;
    }

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
