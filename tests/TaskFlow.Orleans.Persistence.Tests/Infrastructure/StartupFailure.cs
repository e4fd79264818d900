using Microsoft.Extensions.Hosting;
using System.Diagnostics;
using TaskFlow.Orleans.Persistence.AdoNet;

namespace TaskFlow.Orleans.Persistence.Tests.Infrastructure;

/// <summary>Starts a silo that must fail, and returns the <see cref="TaskFlowDatabaseException"/> it failed with.</summary>
public static class StartupFailure
{
    /// <summary>How long a failing start may take at most: a silo that cannot use its database must not hang.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    public static async Task<(TaskFlowDatabaseException Exception, TimeSpan Elapsed)> StartAsync(Action<ISiloBuilder> configure, Xunit.Abstractions.ITestOutputHelper? output = null)
    {
        using var host = TestSilo.BuildLocal("startup-" + Guid.NewGuid().ToString("N")[..8], configure);
        var watch = Stopwatch.StartNew();
        var thrown = await Record.ExceptionAsync(() => host.StartAsync().WaitAsync(Bound));
        watch.Stop();
        Assert.NotNull(thrown);
        Assert.IsNotType<TimeoutException>(thrown);
        var found = Flatten(thrown).OfType<TaskFlowDatabaseException>().FirstOrDefault();
        Assert.True(found is not null, $"Expected a TaskFlowDatabaseException, got: {thrown}");
        output?.WriteLine($"{thrown.GetType().Name} after {watch.Elapsed.TotalSeconds:0.0} s: {found!.Message}");
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await host.StopAsync(stop.Token);
        }
        catch (Exception)
        {
            // The silo never started; stopping it may fail too.
        }

        return (found!, watch.Elapsed);
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var child in inner.SelectMany(Flatten))
        {
            yield return child;
        }
    }
}
