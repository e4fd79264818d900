namespace TaskFlow.Orleans.Grains.Tests.TestKit;

/// <summary>docs/testing.md shows <c>OrderFlowTests.cs</c> as its complete example: the two must not drift apart.</summary>
public sealed class TestingDocTests
{
    [Fact]
    public void TestingDoc_CompleteExample_IsTheOrderFlowTestsFile()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TaskFlow.Orleans.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var doc = File.ReadAllText(Path.Combine(root.FullName, "docs", "testing.md")).ReplaceLineEndings("\n");
        var source = File.ReadAllText(Path.Combine(root.FullName, "tests", "TaskFlow.Orleans.Grains.Tests", "TestKit", "OrderFlowTests.cs"))
            .ReplaceLineEndings("\n")
            .Replace("// The complete example of docs/testing.md: keep the two in step.\n", "", StringComparison.Ordinal)
            .Replace("\nnamespace TaskFlow.Orleans.Grains.Tests.TestKit;\n", "", StringComparison.Ordinal);

        var example = doc.Split("## A complete example")[1].Split("```csharp\n")[1].Split("```")[0];

        Assert.Equal(source, example);
    }
}
