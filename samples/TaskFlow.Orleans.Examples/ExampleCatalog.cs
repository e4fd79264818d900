namespace TaskFlow.Orleans.Examples;

/// <summary>Every example, by its original's name.</summary>
public static class ExampleCatalog
{
    /// <summary>The examples, in the order <c>list</c> shows them.</summary>
    public static IReadOnlyList<IExample> All { get; } =
    [
        new SimpleLinearPass.Example(),
        new SimpleLinearListening.Example(),
        new BuildACar.Example(),
        new DistanceCalculator.Example(),
        new PseudoScoping.Example(),
        new RunByIterEnumerate.Example(),
        new CreateParallelVolume.Example(),
        new SimpleMapReduce.Example(),
        new WrappedException.Example(),
        new TimingListener.Example(),
        new DelayedReturn.Example(),
        new PersistenceExample.Example(),
        new ResumeVolumeCreate.Example(),
        new WbeMandelbrot.Example(),
        new WbeEventSender.Example(),
    ];

    /// <summary>Finds an example by name (TaskFlow's file name, with or without <c>.py</c>).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The example, or <see langword="null"/>.</returns>
    public static IExample? Find(string name)
    {
        var key = name.EndsWith(".py", StringComparison.Ordinal) ? name[..^3] : name;
        return All.FirstOrDefault(e => string.Equals(e.Name, key, StringComparison.OrdinalIgnoreCase));
    }
}
