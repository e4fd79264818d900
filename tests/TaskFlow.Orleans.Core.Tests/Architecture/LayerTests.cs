using System.Xml.Linq;

namespace TaskFlow.Orleans.Core.Tests.Architecture;

/// <summary>
/// The one-way layers, read from the project files: a forbidden project or package reference fails the build's tests with
/// the project, the reference and the rule it breaks. Project references are followed transitively where the rule is about
/// what a layer may depend on at all (Core, Abstractions, Client); the command-line tool's rule is about what it references
/// itself.
/// </summary>
public sealed class LayerTests
{
    private const string Abstractions = "src/TaskFlow.Orleans.Abstractions";
    private const string Core = "src/TaskFlow.Orleans.Core";
    private const string Client = "src/TaskFlow.Orleans.Client";
    private const string Dashboard = "src/TaskFlow.Orleans.Dashboard";
    private const string Grains = "src/TaskFlow.Orleans.Grains";
    private const string Cli = "client/TaskFlow.Orleans.Cli";

    /// <summary>The Orleans packages that make a process a silo.</summary>
    private static readonly string[] OrleansRuntime = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Server"];

    [Fact]
    public void Core_never_references_the_Orleans_runtime_or_the_grains()
    {
        var problems = Projects.Check(Core, transitive: true,
            forbiddenProjects: [Grains, Client, Dashboard, "src/TaskFlow.Orleans.Persistence"],
            forbiddenPackages: OrleansRuntime,
            rule: "Core is the engine as plain C# and references only Abstractions (docs/design.md)");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [InlineData(Abstractions)]
    [InlineData(Client)]
    [InlineData(Dashboard)]
    public void Client_side_libraries_never_reference_the_engine_or_the_silo(string project)
    {
        var problems = Projects.Check(project, transitive: true,
            forbiddenProjects: [Core, Grains, "src/TaskFlow.Orleans.Persistence", "silo/", "client/", "tests/", "samples/"],
            forbiddenPackages: OrleansRuntime,
            rule: "client-side libraries reference only Abstractions, Client and Orleans' client packages");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_command_line_tool_references_only_the_client_libraries()
    {
        // Dashboard serves `taskflow dashboard` from a client and references only Client; Persistence.AdoNet only for the
        // client side of PostgreSQL clustering (--postgres finds the gateways in the silos' database).
        var allowed = new[] { Abstractions, Client, Dashboard, "src/TaskFlow.Orleans.Persistence.AdoNet" };
        var problems = Projects.References(Cli)
            .Where(reference => !allowed.Contains(reference))
            .Select(reference => $"{Cli} references {reference}: the command-line tool references only the client libraries " +
                                 $"({string.Join(", ", allowed)}); a silo hosted by the tool belongs in silo/.")
            .Concat(Projects.Packages(Cli).Intersect(OrleansRuntime)
                .Select(package => $"{Cli} references the package {package}: the command-line tool is an Orleans client, never a silo."))
            .ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_deployable_silo_carries_no_test_instrumentation()
    {
        var problems = Projects.Check("silo/TaskFlow.Orleans.Silo", transitive: true, forbiddenProjects: ["tests/"], forbiddenPackages: [],
            rule: "the deployable silo carries no test code (test hosts live under tests/, e.g. tests/TaskFlow.Orleans.TestSilo)");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Libraries_never_reference_hosts_tests_or_samples()
    {
        var problems = Projects.All("src/")
            .SelectMany(project => Projects.Check(project, transitive: false, forbiddenProjects: ["silo/", "client/", "tests/", "samples/"],
                forbiddenPackages: [], rule: "libraries under src/ reference only other libraries under src/"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Persistence_never_references_the_grains()
    {
        var problems = Projects.All("src/TaskFlow.Orleans.Persistence")
            .SelectMany(project => Projects.Check(project, transitive: true, forbiddenProjects: [Grains], forbiddenPackages: [],
                rule: "a store implements the logbook store contract and never depends on the grains that use it"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_rules_read_real_references()
    {
        // Guards the rules above against passing vacuously (a moved project, a changed file layout).
        Assert.Contains(Abstractions, Projects.References(Core));
        Assert.Contains(Client, Projects.References(Cli));
        Assert.Contains("Microsoft.Orleans.Runtime", Projects.Packages(Grains));
        Assert.Contains(Abstractions, Projects.Closure(Dashboard));
    }

    /// <summary>Project files read as MSBuild XML; projects are named by their folder relative to the repository root.</summary>
    private static class Projects
    {
        private static readonly string Root = FindRoot();

        public static List<string> Check(string project, bool transitive, string[] forbiddenProjects, string[] forbiddenPackages, string rule)
        {
            var problems = new List<string>();
            foreach (var reference in transitive ? Closure(project) : References(project))
            {
                if (forbiddenProjects.FirstOrDefault(prefix => reference.StartsWith(prefix, StringComparison.Ordinal)) is { } forbidden)
                {
                    var how = References(project).Contains(reference) ? "references" : "references (through its project references)";
                    problems.Add($"{project} {how} {reference}, which matches the forbidden '{forbidden}': {rule}.");
                }
            }

            foreach (var owner in transitive ? Closure(project).Prepend(project) : [project])
            {
                foreach (var package in Packages(owner).Intersect(forbiddenPackages))
                {
                    var how = owner == project ? "references the package" : $"references (through {owner}) the package";
                    problems.Add($"{project} {how} {package}: {rule}.");
                }
            }

            return problems;
        }

        public static IEnumerable<string> All(string prefix) =>
            Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
                .Select(path => Relative(Path.GetDirectoryName(path)!))
                .Where(project => project.StartsWith(prefix, StringComparison.Ordinal) && !project.Contains("/bin/") && !project.Contains("/obj/"))
                .Order();

        public static List<string> References(string project) =>
            Load(project).Descendants("ProjectReference")
                .Select(element => Relative(Path.GetDirectoryName(Path.GetFullPath(
                    Path.Combine(Root, project, element.Attribute("Include")!.Value.Replace('\\', '/'))))!))
                .ToList();

        public static List<string> Closure(string project)
        {
            var seen = new List<string>();
            var pending = new Stack<string>(References(project));
            while (pending.TryPop(out var next))
            {
                if (!seen.Contains(next))
                {
                    seen.Add(next);
                    References(next).ForEach(pending.Push);
                }
            }

            return seen;
        }

        public static List<string> Packages(string project) =>
            Load(project).Descendants("PackageReference").Select(element => element.Attribute("Include")!.Value).ToList();

        private static XDocument Load(string project)
        {
            var directory = Path.Combine(Root, project);
            var file = Directory.GetFiles(directory, "*.csproj").Single();
            return XDocument.Load(file);
        }

        private static string Relative(string directory) => Path.GetRelativePath(Root, directory).Replace('\\', '/');

        private static string FindRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "TaskFlow.Orleans.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"No TaskFlow.Orleans.sln above {AppContext.BaseDirectory}: the layer tests read the project files of the repository.");
        }
    }
}
