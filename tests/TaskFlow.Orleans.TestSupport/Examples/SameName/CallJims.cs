using global::Orleans.Runtime;
using TaskFlow.Orleans.Testing.Tasks;

// Two task classes with one class name, in two namespaces, registered without [TaskName]: their default names are their full
// names (TaskFlow's default), so both can be registered and used in one flow.
namespace TaskFlow.Orleans.Testing.Examples.SameName.Home
{
    /// <summary>Calls Jim at home.</summary>
    public sealed class CallJim(IGrainRuntime silo) : JournaledTask(silo)
    {
        public string Execute(int jimNumber) => Executed($"home: {jimNumber}", ("jimNumber", jimNumber));
    }
}

namespace TaskFlow.Orleans.Testing.Examples.SameName.Work
{
    /// <summary>Calls Jim at work.</summary>
    public sealed class CallJim(IGrainRuntime silo) : JournaledTask(silo)
    {
        public string Execute(int jimNumber) => Executed($"work: {jimNumber}", ("jimNumber", jimNumber));
    }

    /// <summary>Only one class has this name: flows may name it without its namespace.</summary>
    public sealed class CallJimsBoss(IGrainRuntime silo) : JournaledTask(silo)
    {
        public string Execute(int jimNumber) => Executed($"boss of {jimNumber}", ("jimNumber", jimNumber));
    }
}
