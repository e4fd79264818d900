namespace TaskFlow.Orleans.Core.Tests.Architecture;

/// <summary>README's "Your own silo" shows samples/MySilo/Program.cs, which builds with the solution: the two stay the same.</summary>
public sealed class ReadmeSampleTests
{
    [Fact]
    public void YourOwnSilo_InReadme_IsTheProgramOfSamplesMySilo()
    {
        var root = FindRoot();
        var program = File.ReadAllText(Path.Combine(root, "samples", "MySilo", "Program.cs")).ReplaceLineEndings("\n").Trim();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");

        Assert.True(readme.Contains("```csharp\n" + program + "\n```", StringComparison.Ordinal),
            "README.md's \"Your own silo\" block differs from samples/MySilo/Program.cs: copy the file into the block.");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TaskFlow.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No TaskFlow.Orleans.sln above {AppContext.BaseDirectory}.");
    }
}
