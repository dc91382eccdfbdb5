using System.Net;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AutoDeploy.Tests.Identity;

/// <summary>
/// While no user exists, /setup from another machine (TestServer's requests have no loopback address) needs the one-time
/// token the server wrote to its log and to a file only its user can read; from the server's own machine it does not.
/// </summary>
[Trait("Database", "App")]
public sealed class SetupTokenTests : IAsyncLifetime
{
    private const string Email = "first@autodeploy.test";
    private const string Password = "First-Passw0rd!";

    private readonly LogLines _log = new();
    private readonly AutoDeployAppFactory _app = new()
    {
        Settings = { ["Bootstrap:AdminEmail"] = "", ["Bootstrap:AdminPassword"] = "", ["Bootstrap:AdminApiKey"] = "" },
    };
    private WebApplicationFactory<Program> _logged = null!;

    private string TokenFile => Path.Combine(_app.DataFolder, SetupToken.FileName);

    public Task InitializeAsync()
    {
        _logged = _app.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(_log)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _logged.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Without_the_token_set_up_from_another_machine_is_refused_and_creates_no_one()
    {
        var response = await SetUpAsync(new BrowserClient(_logged), token: null);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Enter the set-up token", html);
        Assert.Equal(0, await UserCountAsync());
    }

    [Fact]
    public async Task A_wrong_token_is_refused()
    {
        var browser = new BrowserClient(_logged);
        var real = ReadToken();

        var response = await SetUpAsync(browser, real[..^4] + "AAAA");

        Assert.Contains("Enter the set-up token", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await UserCountAsync());
    }

    [Fact]
    public async Task Set_up_attempts_are_limited_per_address_with_429_retry_after_and_a_message_on_the_form()
    {
        _app.Settings["SignIn:AddressBurst"] = "2";
        _app.Settings["SignIn:AddressPerMinute"] = "0.006"; // nothing refills within the test
        var browser = new BrowserClient(_logged);
        await SetUpAsync(browser, "SETUP-guess-1");
        await SetUpAsync(browser, "SETUP-guess-2");

        var refused = await SetUpAsync(browser, ReadToken());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to come back");
        Assert.Contains("Too many set-up attempts", await refused.Content.ReadAsStringAsync());
        Assert.Equal(0, await UserCountAsync());
    }

    [Fact]
    public async Task The_token_is_in_one_log_line_and_in_a_file_only_the_server_s_user_can_read()
    {
        _ = new BrowserClient(_logged); // starts the app

        var token = ReadToken();

        Assert.StartsWith("SETUP-", token);
        Assert.Single(_log.All, line => line.Contains(token, StringComparison.Ordinal) && line.Contains("/setup", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TokenFile));
        }
    }

    [Fact]
    public async Task The_token_opens_set_up_once_and_dies_with_it()
    {
        var browser = new BrowserClient(_logged);
        var token = ReadToken();

        var response = await SetUpAsync(browser, token);

        Assert.Equal("/", BrowserClient.RedirectTarget(response));
        Assert.False(File.Exists(TokenFile), "the token's file is deleted once set-up is complete");
        // The antiforgery token of another page, so that only the set-up token could let this through.
        var late = new BrowserClient(_logged);
        var antiforgery = BrowserClient.AntiforgeryToken(await late.Http.GetStringAsync("/account/login"));
        var again = await late.Http.PostAsync("/setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "setup",
            ["__RequestVerificationToken"] = antiforgery,
            ["Input.Email"] = "second@autodeploy.test",
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
            ["Input.Token"] = token,
        }));
        Assert.Equal("/account/login", BrowserClient.RedirectTarget(again));
        Assert.Equal(1, await UserCountAsync());
    }

    [Fact]
    public async Task From_the_server_s_own_machine_no_token_is_needed()
    {
        var loopback = new AutoDeployAppFactory
        {
            Settings = { ["Bootstrap:AdminEmail"] = "", ["Bootstrap:AdminPassword"] = "", ["Bootstrap:AdminApiKey"] = "" },
        };
        await using var _ = loopback;
        var browser = new BrowserClient(loopback.StartOnKestrel());

        var form = await browser.Http.GetStringAsync("/setup");
        var response = await SetUpAsync(browser, token: null);

        Assert.DoesNotContain("Set-up token", form);
        Assert.Equal("/", BrowserClient.RedirectTarget(response));
    }

    private string ReadToken() => File.ReadAllText(TokenFile).Trim();

    private async Task<int> UserCountAsync()
    {
        await using var db = await _logged.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        return await db.Users.CountAsync();
    }

    private static Task<HttpResponseMessage> SetUpAsync(BrowserClient browser, string? token)
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.Email"] = Email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        };
        if (token is not null)
        {
            fields["Input.Token"] = token;
        }
        return browser.SubmitAsync("/setup", "setup", fields);
    }
}
