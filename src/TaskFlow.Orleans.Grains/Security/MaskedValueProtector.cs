using System.Security.Cryptography;
using System.Text;
using Orleans.Serialization;
using TaskFlow.Orleans.Grains.Options;

namespace TaskFlow.Orleans.Grains.Security;

/// <summary>
/// Encrypts masked values (<see cref="TaskFlowOptions.MaskedKeys"/>) for the logbook with AES-256-GCM from the platform's
/// cryptography, under the key <see cref="TaskFlowOptions.EncryptionKeyId"/> names; decrypts with any configured key, so keys
/// can rotate (add the new key and make it current; keep the old one while runs sealed with it are kept).
/// </summary>
internal sealed class MaskedValueProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _currentKeyId;
    private readonly Serializer _serializer;

    /// <summary>Creates the protector from checked options (see <see cref="TaskFlowOptionsValidator"/>).</summary>
    /// <param name="options">The options with at least one key.</param>
    /// <param name="serializer">Serializes values before encryption.</param>
    public MaskedValueProtector(TaskFlowOptions options, Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serializer);
        _keys = options.EncryptionKeys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value), StringComparer.Ordinal);
        _currentKeyId = CurrentKeyId(options) ?? throw new InvalidOperationException("No encryption key is configured.");
        _serializer = serializer;
    }

    /// <summary>The key id values are sealed with: <see cref="TaskFlowOptions.EncryptionKeyId"/>, or the only key.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The id, or <see langword="null"/> when there is no key to choose.</returns>
    public static string? CurrentKeyId(TaskFlowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !string.IsNullOrEmpty(options.EncryptionKeyId) ? options.EncryptionKeyId
            : options.EncryptionKeys.Count == 1 ? options.EncryptionKeys.Keys.Single() : null;
    }

    /// <summary>Encrypts <paramref name="value"/>, bound to <paramref name="context"/> (the run and the value's name).</summary>
    /// <param name="value">The value.</param>
    /// <param name="context">The associated data: the value can be unsealed only with the same context.</param>
    /// <returns>The sealed value.</returns>
    public SealedValue Seal(object? value, string context)
    {
        var plaintext = _serializer.SerializeToArray<object?>(value);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        using var aes = new AesGcm(_keys[_currentKeyId], TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.UTF8.GetBytes(context));
        return new SealedValue { KeyId = _currentKeyId, Nonce = nonce, Ciphertext = ciphertext, Tag = tag };
    }

    /// <summary>Decrypts a value sealed by <see cref="Seal"/> with the same <paramref name="context"/>.</summary>
    /// <param name="sealedValue">The sealed value.</param>
    /// <param name="context">The run and the value's name it was sealed for.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FlowStorageException">The key is not configured on this silo, or the value was altered or moved.</exception>
    public object? Unseal(SealedValue sealedValue, string context)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        if (!_keys.TryGetValue(sealedValue.KeyId, out var key))
        {
            throw new FlowStorageException(
                $"A masked value of '{context}' was encrypted with key '{sealedValue.KeyId}', which this silo does not have. Add it to " +
                $"TaskFlow:Encryption:Keys:{sealedValue.KeyId} (keep old keys while runs sealed with them are kept).");
        }

        var plaintext = new byte[sealedValue.Ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedValue.Nonce, sealedValue.Ciphertext, sealedValue.Tag, plaintext, Encoding.UTF8.GetBytes(context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new FlowStorageException(
                $"A masked value of '{context}' does not decrypt with key '{sealedValue.KeyId}': it was altered, moved from another run, or " +
                "the key under that id changed.");
        }

        return _serializer.Deserialize<object?>(plaintext);
    }
}
