namespace TaskFlow.Orleans.Grains.Security;

/// <summary>A masked value as the logbook stores it: encrypted and authenticated with AES-GCM under one of the silos' keys,
/// bound to its run and name (the associated data), so it can neither be read nor moved to another run or name.</summary>
[GenerateSerializer]
[Alias("taskflow.SealedValue")]
internal sealed class SealedValue
{
    /// <summary>The id of the key it was sealed with (<c>TaskFlow:Encryption:Keys:&lt;id&gt;</c>).</summary>
    [Id(0)] public required string KeyId { get; init; }

    /// <summary>The random 96-bit nonce.</summary>
    [Id(1)] public required byte[] Nonce { get; init; }

    /// <summary>The encrypted value (its Orleans serialization).</summary>
    [Id(2)] public required byte[] Ciphertext { get; init; }

    /// <summary>The 128-bit authentication tag.</summary>
    [Id(3)] public required byte[] Tag { get; init; }
}
