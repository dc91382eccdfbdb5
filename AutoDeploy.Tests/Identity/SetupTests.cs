using System.Net;
using AutoDeploy.Tests.TestSupport;

namespace AutoDeploy.Tests.Identity;

/// <summary>
/// The first run, without Bootstrap settings: no user exists until someone fills in /setup (from another machine, as
/// TestServer's requests are, with the set-up token from the data folder; see SetupTokenTests). Its subject is the page's
/// flow; set-up on PostgreSQL (the one-time token, the users lock) is SetupTokenTests', so this runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class SetupTests : IAsyncLifetime
{
    private const string Email = "first@autodeploy.test";
    private const string Password = "First-Passw0rd!";

    private readonly AutoDeployAppFactory _app = new()
    {
        Settings = { ["Bootstrap:AdminEmail"] = "", ["Bootstrap:AdminPassword"] = "", ["Bootstrap:AdminApiKey"] = "" },
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task While_no_user_exists_the_sign_in_page_sends_to_setup()
    {
        var browser = new BrowserClient(_app);

        var response = await browser.Http.GetAsync("/account/login?ReturnUrl=%2F");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/setup", BrowserClient.RedirectTarget(response));
    }

    [Fact]
    public async Task The_setup_page_says_the_password_rules_before_anything_is_typed()
    {
        var browser = new BrowserClient(_app);

        var html = await browser.Http.GetStringAsync("/setup");

        Assert.Contains("At least 8 characters, with an upper-case letter, a lower-case letter, a digit and a symbol.", html);
        Assert.Contains("aria-describedby=\"password-rules\"", html);
    }

    [Fact]
    public async Task Setup_creates_the_administrator_and_signs_them_in()
    {
        var browser = new BrowserClient(_app);

        var response = await SetUpAsync(browser, Password, Password);

        Assert.Equal("/", BrowserClient.RedirectTarget(response));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/users")).StatusCode);
    }

    [Fact]
    public async Task Setup_is_refused_once_the_administrator_exists()
    {
        await SetUpAsync(new BrowserClient(_app), Password, Password);

        var response = await new BrowserClient(_app).Http.GetAsync("/setup");

        Assert.Equal("/account/login", BrowserClient.RedirectTarget(response));
    }

    [Fact]
    public async Task A_weak_password_shows_identity_s_rules_beside_the_field()
    {
        var response = await SetUpAsync(new BrowserClient(_app), "weakpassword", "weakpassword");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Passwords must have at least one digit", html);
        Assert.Contains($"value=\"{Email}\"", html);
    }

    [Fact]
    public async Task Different_passwords_are_refused()
    {
        var response = await SetUpAsync(new BrowserClient(_app), Password, Password + "x");

        Assert.Contains("The two passwords differ.", await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> SetUpAsync(BrowserClient browser, string password, string confirmation) =>
        browser.SubmitAsync("/setup", "setup", new Dictionary<string, string>
        {
            ["Input.Email"] = Email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = confirmation,
            ["Input.Token"] = File.ReadAllText(Path.Combine(_app.DataFolder, "setup-token")).Trim(),
        });
}
