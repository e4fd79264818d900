using TaskFlow.Orleans.Grains.Options;

namespace TaskFlow.Orleans.Grains.Tests.Options;

public sealed class TaskFlowOptionsValidatorTests
{
    private readonly TaskFlowOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(_validator.Validate(null, new TaskFlowOptions()).Succeeded);
    }

    [Fact]
    public void Validate_EveryValueWrong_ReportsEachWithItsFix()
    {
        var options = new TaskFlowOptions
        {
            ExecutorPoolSize = 0,
            MaxRunsPerTransaction = 0,
            ProgressWriteDelay = TimeSpan.Zero,
            EventBufferSize = 0,
            StorageProviderName = " ",
        };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(5, failures.Count);
        Assert.Contains(failures, f => f.Contains("ExecutorPoolSize is 0", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MaxRunsPerTransaction is 0", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ProgressWriteDelay is 00:00:00", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("EventBufferSize is 0", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("AddMemoryGrainStorage", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MaskedKeysWithoutAnEncryptionKey_SaysHowToMakeOne()
    {
        var options = new TaskFlowOptions();
        options.MaskedKeys.Add("password");

        var failure = Assert.Single(_validator.Validate(null, options).Failures!);

        Assert.Contains("MaskedKeys (password) are stored encrypted, but no key is configured", failure, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EncryptionKeys_MustBe32BytesAndTheCurrentOneNamedWhenThereAreSeveral()
    {
        var options = new TaskFlowOptions();
        options.EncryptionKeys["short"] = Convert.ToBase64String(new byte[16]);
        options.EncryptionKeys["good"] = Convert.ToBase64String(new byte[32]);

        var failures = _validator.Validate(null, options).Failures!.ToList();

        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.Contains("EncryptionKeys['short'] is not the base64 of 32 bytes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("holds 2 keys; set TaskFlowOptions.EncryptionKeyId", StringComparison.Ordinal));

        options.EncryptionKeys.Remove("short");
        options.EncryptionKeyId = "missing";
        Assert.Contains("EncryptionKeyId is 'missing', which is not in EncryptionKeys (good)", Assert.Single(_validator.Validate(null, options).Failures!), StringComparison.Ordinal);
        options.EncryptionKeyId = "good";
        Assert.True(_validator.Validate(null, options).Succeeded);
    }
}
