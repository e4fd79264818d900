using Microsoft.Extensions.Options;

namespace TaskFlow.Orleans.Grains.Options;

/// <summary>Checks <see cref="TaskFlowOptions"/> when the silo starts and says how to fix each bad value.</summary>
internal sealed class TaskFlowOptionsValidator : IValidateOptions<TaskFlowOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TaskFlowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.ExecutorPoolSize < 1)
        {
            problems.Add($"TaskFlowOptions.ExecutorPoolSize is {options.ExecutorPoolSize}; it must be at least 1 (default {TaskFlowOptions.DefaultExecutorPoolSize}).");
        }

        if (options.ProgressWriteDelay <= TimeSpan.Zero)
        {
            problems.Add($"TaskFlowOptions.ProgressWriteDelay is {options.ProgressWriteDelay}; it must be positive (default {TaskFlowOptions.DefaultProgressWriteDelay.TotalMilliseconds} ms).");
        }

        if (options.MaxRunsPerTransaction < 1)
        {
            problems.Add($"TaskFlowOptions.MaxRunsPerTransaction is {options.MaxRunsPerTransaction}; it must be at least 1 (default 512).");
        }

        if (options.MaxConcurrentTransactions < 1)
        {
            problems.Add($"TaskFlowOptions.MaxConcurrentTransactions is {options.MaxConcurrentTransactions}; it must be at least 1 (default 2).");
        }

        if (!Enum.IsDefined(options.Durability))
        {
            problems.Add($"TaskFlowOptions.Durability is {(int)options.Durability}; it must be Strict (the default) or Relaxed.");
        }

        if (options.EventBufferSize < 1)
        {
            problems.Add($"TaskFlowOptions.EventBufferSize is {options.EventBufferSize}; it must be at least 1 (default {TaskFlowOptions.DefaultEventBufferSize}).");
        }

        if (string.IsNullOrWhiteSpace(options.StorageProviderName))
        {
            problems.Add("TaskFlowOptions.StorageProviderName is empty; set it to the name of a grain storage provider the silo registers, " +
                         $"e.g. siloBuilder.AddMemoryGrainStorage(\"{TaskFlowOptions.DefaultStorageProviderName}\").");
        }

        ValidateEncryption(options, problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateEncryption(TaskFlowOptions options, List<string> problems)
    {
        Span<byte> bytes = stackalloc byte[48];
        foreach (var (id, key) in options.EncryptionKeys)
        {
            if (!Convert.TryFromBase64String(key ?? "", bytes, out var length) || length != 32)
            {
                problems.Add($"TaskFlowOptions.EncryptionKeys['{id}'] is not the base64 of 32 bytes; make one with 'openssl rand -base64 32'.");
            }
        }

        if (options.MaskedKeys.Count > 0 && options.EncryptionKeys.Count == 0)
        {
            problems.Add($"TaskFlowOptions.MaskedKeys ({string.Join(", ", options.MaskedKeys)}) are stored encrypted, but no key is configured: " +
                         "set TaskFlow__EncryptionKeys__k1=<the output of 'openssl rand -base64 32'> on every silo (the same key on all).");
        }

        if (options.EncryptionKeys.Count > 1 && string.IsNullOrEmpty(options.EncryptionKeyId))
        {
            problems.Add($"TaskFlowOptions.EncryptionKeys holds {options.EncryptionKeys.Count} keys; set TaskFlowOptions.EncryptionKeyId to the one new values are sealed with.");
        }
        else if (!string.IsNullOrEmpty(options.EncryptionKeyId) && !options.EncryptionKeys.ContainsKey(options.EncryptionKeyId))
        {
            problems.Add($"TaskFlowOptions.EncryptionKeyId is '{options.EncryptionKeyId}', which is not in EncryptionKeys ({string.Join(", ", options.EncryptionKeys.Keys)}).");
        }
    }
}
