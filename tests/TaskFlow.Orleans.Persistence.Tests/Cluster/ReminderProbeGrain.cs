using System.Collections.Concurrent;

namespace TaskFlow.Orleans.Persistence.Tests.Cluster;

/// <summary>A grain that registers an Orleans reminder and reports where it runs and when the reminder fires.</summary>
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task<string> RegisterAsync();

    Task UnregisterAsync();
}

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public const string ReminderName = "probe";

    /// <summary>Signalled by key when the reminder fires (the silos run in the test process).</summary>
    public static readonly ConcurrentDictionary<string, TaskCompletionSource<string>> Fired = new();

    public async Task<string> RegisterAsync()
    {
        Fired.TryAdd(this.GetPrimaryKeyString(), new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        return RuntimeIdentity;
    }

    public async Task UnregisterAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Fired.TryGetValue(this.GetPrimaryKeyString(), out var fired))
        {
            fired.TrySetResult(RuntimeIdentity);
        }

        return Task.CompletedTask;
    }
}
