using System.Runtime.Versioning;
using System.Text.Json;
using AutoDeploy.Agent;
using AutoDeploy.Agent.Commands;
using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Tests.Agent.Commands;

public sealed class AgentCommandsTests : IAsyncLifetime
{
    private readonly string home = Path.Combine(Path.GetTempPath(), $"autodeploy-agent-home-{Guid.NewGuid():N}");
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();
    private FakeAgentServer server = null!;

    public async Task InitializeAsync() => server = await FakeAgentServer.StartAsync();

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        if (Directory.Exists(home))
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Register_Accepted_WritesAgentJsonForTheOwnerOnlyAndPrintsTheMachineId()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey, "--name", "web-01",
            "--environment", "Test", "--environment", "Staging", "--role", "web", "--role", "db", "--home", home);

        Assert.Equal(0, exitCode);
        var saved = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(home, "agent.json")));
        Assert.Equal(server.Url, saved.GetProperty("server").GetString());
        Assert.Equal(FakeAgentServer.MachineId, saved.GetProperty("machineId").GetInt32());
        Assert.Equal("web-01", saved.GetProperty("name").GetString());
        Assert.Equal(FakeAgentServer.Token, saved.GetProperty("token").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(home, "agent.json")));
        Assert.Contains($"with id {FakeAgentServer.MachineId}", output.ToString());
        Assert.Equal(["Test", "Staging"], server.LastRegistration!.Environments);
        Assert.Equal(["web", "db"], server.LastRegistration.Roles);
        Assert.Equal(AgentProtocol.Version, server.LastRegistration.AgentVersion);
    }

    [Fact]
    public async Task Register_Invalid_PrintsEveryValidationMessageAndSavesNothing()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey, "--name", new string('n', 201),
            "--environment", "Nowhere", "--role", "Web Server", "--home", home);

        Assert.Equal(1, exitCode);
        Assert.Contains("Name must be at most 200 characters.", error.ToString());
        Assert.Contains("Environment 'Nowhere' does not exist.", error.ToString());
        Assert.Contains("'Web Server'", error.ToString());
        Assert.False(File.Exists(Path.Combine(home, "agent.json")));
    }

    [Fact]
    public async Task Register_WrongApiKey_SaysTheKeyWasRefused()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", "wrong", "--name", "web-01", "--environment", "Test", "--home", home);

        Assert.Equal(1, exitCode);
        Assert.Contains("refused the API key", error.ToString());
    }

    [Fact]
    public async Task Register_NameTaken_SaysSo()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey, "--name", "taken",
            "--environment", "Test", "--home", home);

        Assert.Equal(1, exitCode);
        Assert.Contains("The name 'taken' is taken", error.ToString());
    }

    [Fact]
    public async Task Register_OverAnExistingRegistration_RefusesWithoutForce()
    {
        new AgentSettings(server.Url, 5, "old-machine", "old-token").Save(home);

        var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey, "--name", "web-01",
            "--environment", "Test", "--home", home);

        Assert.Equal(1, exitCode);
        Assert.Contains("--force", error.ToString());
        Assert.Null(server.LastRegistration);
        Assert.Equal("old-token", AgentSettings.Load(home)!.Token);
    }

    [Fact]
    public async Task Register_ServerDown_SaysItCannotReachIt()
    {
        var url = server.Url;
        await server.DisposeAsync();

        var exitCode = await RunAsync("register", "--server", url, "--api-key", FakeAgentServer.ApiKey, "--name", "web-01",
            "--environment", "Test", "--home", home);

        Assert.Equal(1, exitCode);
        Assert.Contains("Cannot reach the server", error.ToString());
    }

    [Fact]
    public async Task Deregister_DeletesTheMachineAndTheLocalRegistration()
    {
        new AgentSettings(server.Url, FakeAgentServer.MachineId, "web-01", FakeAgentServer.Token).Save(home);

        var exitCode = await RunAsync("deregister", "--home", home);

        Assert.Equal(0, exitCode);
        Assert.True(server.Deregistered);
        Assert.False(File.Exists(Path.Combine(home, "agent.json")));
    }

    [Fact]
    public async Task Run_TokenRefused_ExitsWithCode2()
    {
        new AgentSettings(server.Url, FakeAgentServer.MachineId, "web-01", "revoked-token").Save(home);

        var exitCode = await RunAsync("run", "--home", home);

        Assert.Equal(2, exitCode);
        Assert.Contains(TokenRefusedException.Explanation, output.ToString());
    }

    [Fact]
    public async Task Register_InlineValuesAndApiKeyFromTheEnvironment_AreAccepted()
    {
        Environment.SetEnvironmentVariable("AUTODEPLOY_API_KEY", FakeAgentServer.ApiKey);
        try
        {
            var exitCode = await RunAsync("register", $"--server={server.Url}", "--name=web-01", "--environment=Test", "--role=web", $"--home={home}");

            Assert.Equal(0, exitCode);
            Assert.Equal("web-01", server.LastRegistration!.Name);
            Assert.Equal(["Test"], server.LastRegistration.Environments);
            Assert.Equal(["web"], server.LastRegistration.Roles);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTODEPLOY_API_KEY", null);
        }
    }

    [Fact]
    public async Task Register_OutputJson_PrintsOneObjectForScriptsWithoutTheToken()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey, "--name", "web-01",
            "--environment", "Test", "--home", home, "--output", "json");

        Assert.Equal(0, exitCode);
        var printed = JsonSerializer.Deserialize<JsonElement>(output.ToString());
        Assert.Equal((FakeAgentServer.MachineId, "web-01", server.Url), (printed.GetProperty("machineId").GetInt32(),
            printed.GetProperty("name").GetString(), printed.GetProperty("server").GetString()));
        Assert.Equal(Path.Combine(home, "agent.json"), printed.GetProperty("settingsFile").GetString());
        Assert.DoesNotContain(FakeAgentServer.Token, output.ToString());
    }

    [Fact]
    public async Task Register_OutputOfAnotherKind_IsRefusedBeforeAnythingIsSent()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey, "--name", "web-01",
            "--environment", "Test", "--home", home, "--output", "yaml");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("yaml", error.ToString());
        Assert.Null(server.LastRegistration);
    }

    [Fact]
    public async Task Register_WithoutName_RegistersUnderTheHostNameInLowerCase()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey, "--environment", "Test", "--home", home);

        Assert.Equal(0, exitCode);
        Assert.Equal(Environment.MachineName.ToLowerInvariant(), server.LastRegistration!.Name);
    }

    [Fact]
    public async Task Register_NameSuffixRandom_AppendsSixRandomCharacters()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey, "--name", "web",
            "--name-suffix", "random", "--environment", "Test", "--home", home);

        Assert.Equal(0, exitCode);
        Assert.Matches("^web-[a-z0-9]{6}$", server.LastRegistration!.Name);
    }

    [Fact]
    public async Task Register_NameSuffixInstanceId_AppendsTheInstanceIdFromItsFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"instance-id-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "i-0abc123def4567890\n");
        Environment.SetEnvironmentVariable(MachineNames.InstanceIdFileVariable, file);
        try
        {
            var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey, "--name", "web",
                "--name-suffix", "instance-id", "--environment", "Test", "--home", home);

            Assert.Equal(0, exitCode);
            Assert.Equal("web-i-0abc123def4567890", server.LastRegistration!.Name);
        }
        finally
        {
            Environment.SetEnvironmentVariable(MachineNames.InstanceIdFileVariable, null);
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Register_NameSuffixInstanceIdWithoutTheFile_ExitsWith1SayingWhyAndSendsNothing()
    {
        Environment.SetEnvironmentVariable(MachineNames.InstanceIdFileVariable, "/nonexistent/instance-id");
        try
        {
            var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey,
                "--name-suffix", "instance-id", "--environment", "Test", "--home", home);

            Assert.Equal(1, exitCode);
            Assert.Contains("--name-suffix instance-id needs the machine's instance id, and /nonexistent/instance-id is missing or empty", error.ToString());
            Assert.Null(server.LastRegistration);
        }
        finally
        {
            Environment.SetEnvironmentVariable(MachineNames.InstanceIdFileVariable, null);
        }
    }

    [Fact]
    public async Task Register_TokenFromTheEnvironment_IsSentAsAnEnrolmentToken()
    {
        Environment.SetEnvironmentVariable("AUTODEPLOY_ENROLMENT_TOKEN", FakeAgentServer.EnrolmentToken);
        try
        {
            var exitCode = await RunAsync("register", "--server", server.Url, "--name", "web-01", "--environment", "Test", "--home", home);

            Assert.Equal(0, exitCode);
            Assert.Equal("X-Enrolment-Token", server.LastCredentialHeader);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AUTODEPLOY_ENROLMENT_TOKEN", null);
        }
    }

    [Fact]
    public async Task Register_UnknownEnrolmentToken_ExitsWith4AndPrintsTheServersReason()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--token", "ENROL-WRONG", "--name", "web-01", "--environment", "Test",
            "--home", home);

        Assert.Equal(ExitCodes.EnrolmentTokenRefused, exitCode);
        Assert.Equal("The server refused the enrolment token:\n  That is not a valid enrolment token.\n", error.ToString().ReplaceLineEndings("\n"));
        Assert.False(File.Exists(Path.Combine(home, "agent.json")));
    }

    [Fact]
    public async Task Register_TokenAndApiKeyBoth_ExitsWith1()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--token", FakeAgentServer.EnrolmentToken, "--api-key", FakeAgentServer.ApiKey,
            "--environment", "Test", "--home", home);

        Assert.Equal(1, exitCode);
        Assert.Contains("Give --token or --api-key, not both.", error.ToString());
    }

    [Theory]
    [InlineData("'--colour'", "register", "--server", "http://x", "--name", "a", "--environment", "b", "--colour", "red")]
    [InlineData("'--environment' is required", "register", "--server", "http://x")]
    [InlineData("'--name'", "register", "--server", "http://x", "--name", "a", "--name", "b", "--environment", "b")]
    [InlineData("--name needs a value", "register", "--server", "http://x", "--name", " ", "--environment", "b")]
    [InlineData("'--home'", "run", "--home")]
    [InlineData("--home needs a value, not the option '--force'", "run", "--home", "--force")]
    [InlineData("'start'", "start")]
    [InlineData("not registered", "run", "--home", "/nonexistent/autodeploy-agent")]
    [InlineData("--timeout must be a duration such as 90s, 10m, 1h or plain seconds (not 'soon')", "wait-ready", "--timeout", "soon")]
    [InlineData("not registered", "wait-ready", "--home", "/nonexistent/autodeploy-agent")]
    public async Task BadArguments_ExitWithCode1AndSayWhy(string expected, params string[] args)
    {
        var exitCode = await RunAsync(args);

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UnknownOption_NamesItAndPointsToTheCommandsHelp()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--name", "a", "--environment", "b", "--colour", "red", "--home", home);

        Assert.Equal(1, exitCode);
        Assert.Contains("Unrecognized command or argument '--colour'", error.ToString());
        Assert.Contains("Run 'autodeploy-agent register --help'", error.ToString());
        Assert.Equal("", output.ToString());
        Assert.Null(server.LastRegistration);
    }

    [Fact]
    public async Task MissingRequiredOptions_NamesEachOfThemAndSendsNothing()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey, "--home", home);

        Assert.Equal(1, exitCode);
        Assert.Contains("Option '--environment' is required.", error.ToString());
        Assert.Null(server.LastRegistration);
    }

    [Fact]
    public async Task SingleOptionGivenTwice_ExitsWithCode1AndSendsNothing()
    {
        var exitCode = await RunAsync("register", "--server", server.Url, "--api-key", FakeAgentServer.ApiKey, "--name", "web-01",
            "--name", "web-02", "--environment", "Test", "--home", home);

        Assert.Equal(1, exitCode);
        Assert.Contains("Option '--name' expects a single argument but 2 were provided.", error.ToString());
        Assert.Null(server.LastRegistration);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData]
    public async Task Help_ListsEveryCommandAndTheExitCodes(params string[] args)
    {
        var exitCode = await RunAsync(args);

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:\n  autodeploy-agent [command] [options]", output.ToString().ReplaceLineEndings("\n"));
        foreach (var command in new[] { "register", "run", "deregister", "wait-ready" })
        {
            Assert.Matches($@"(?m)^  {command} +\S", output.ToString());
        }
        Assert.Contains(AgentHelpAction.ExitCodes, output.ToString());
        Assert.Equal("", error.ToString());
    }

    [Theory]
    [InlineData("register --help", "--server <URL>", "--token <TOKEN>", "--api-key <KEY>", "--name <NAME>", "--name-suffix <instance-id|random>",
        "--environment <ENV>", "--role <ROLE>", "--policy <NAME>", "--home <DIR>", "--force")]
    [InlineData("register -h", "--server <URL>", "--name <NAME>", "--environment <ENV>", "--home <DIR>", "--force")]
    [InlineData("help register", "--server <URL>", "--name <NAME>", "--environment <ENV>", "--home <DIR>", "--force")]
    [InlineData("run --help", "--home <DIR>")]
    [InlineData("run -h", "--home <DIR>")]
    [InlineData("deregister --help", "--home <DIR>")]
    [InlineData("wait-ready --help", "--home <DIR>", "--timeout <DURATION>")]
    public async Task CommandHelp_ListsItsOptionsAndExitsWith0(string commandLine, params string[] options)
    {
        var exitCode = await RunAsync(commandLine.Split(' '));

        Assert.Equal(0, exitCode);
        Assert.Contains($"autodeploy-agent {commandLine.Split(' ').First(w => w != "help")} [options]", output.ToString());
        foreach (var option in options)
        {
            Assert.Contains(option, output.ToString());
        }
        Assert.Contains(AgentHelpAction.ExitCodes, output.ToString());
        Assert.Equal("", error.ToString());
    }

    private Task<int> RunAsync(params string[] args) =>
        AgentCommands.RunAsync(args, output, error, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
}
