using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Execution;
using TaskFlow.Orleans.Grains.Options;

namespace TaskFlow.Orleans.Grains.Execution;

/// <summary>The silo's references to executor grains, made once and shared by every flow on the silo.</summary>
/// <remarks>Resolving a grain reference reads the interface's attributes each time; a flow run dispatching to 64 executor
/// keys from a fresh activation paid that per call. References are immutable and safe to share across activations.</remarks>
internal sealed class ExecutorDirectory
{
    private readonly IGrainFactory _grains;
    private readonly ITaskExecutorGrain?[] _plain;
    private readonly ConcurrentDictionary<string, IRoutedTaskExecutorGrain>[] _routed;

    /// <summary>Creates the directory.</summary>
    /// <param name="grains">The silo's grain factory.</param>
    /// <param name="options">TaskFlow options (the executor pool size).</param>
    public ExecutorDirectory(IGrainFactory grains, IOptions<TaskFlowOptions> options)
    {
        _grains = grains;
        var size = Math.Max(1, options.Value.ExecutorPoolSize);
        _plain = new ITaskExecutorGrain?[size];
        _routed = new ConcurrentDictionary<string, IRoutedTaskExecutorGrain>[size];
        for (var i = 0; i < size; i++)
        {
            _routed[i] = new ConcurrentDictionary<string, IRoutedTaskExecutorGrain>(StringComparer.Ordinal);
        }
    }

    /// <summary>How many executor keys flows spread their calls over.</summary>
    public int Size => _plain.Length;

    /// <summary>The executor with key <paramref name="key"/>, placed at random over the silos.</summary>
    /// <param name="key">The key, below <see cref="Size"/>.</param>
    /// <returns>The reference.</returns>
    public ITaskExecutorGrain Plain(int key) => _plain[key] ??= _grains.GetGrain<ITaskExecutorGrain>(key);

    /// <summary>The executor with key <paramref name="key"/> placed on a silo that advertises <paramref name="capability"/>.</summary>
    /// <param name="capability">The capability.</param>
    /// <param name="key">The key, below <see cref="Size"/>.</param>
    /// <returns>The reference.</returns>
    public IRoutedTaskExecutorGrain Routed(string capability, int key) =>
        _routed[key].GetOrAdd(capability, static (name, state) => state.Grains.GetGrain<IRoutedTaskExecutorGrain>($"{name}/{state.Key}"), (Grains: _grains, Key: key));
}
