using TaskFlow.Orleans.Core.Compilation;
using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Grains.Logbook;

/// <summary>Compiling a stored run's header on a silo (the header itself lives in the logbook contract, which knows no silo).</summary>
internal static class RunHeaderCompilation
{
    /// <summary>Compiles the run's definition against the inputs it was started with, with a silo's tasks: how the run's
    /// engine rebuilds it when activated, and how the run index reads its graph without activating it.</summary>
    /// <param name="header">The run's header.</param>
    /// <param name="catalog">The tasks, retry controllers and deciders registered on this silo.</param>
    /// <returns>The compiled flow.</returns>
    /// <exception cref="FlowCompilationException">The definition does not compile here (typically a task it uses is no longer registered).</exception>
    internal static CompiledFlow Compile(this RunHeader header, ITaskCatalog catalog) =>
        FlowCompiler.Compile(header.Definition, catalog, header.InputNames);
}
