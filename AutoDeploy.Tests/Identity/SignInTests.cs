using System.Net;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Identity;

/// <summary>
/// On SQLite only: the subject is the sign-in flow (cookies, lockout, redirects), which Identity's stores run the same
/// on either database; the PostgreSQL pass covers those stores through UsersApiTests and UserServiceTests.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class SignInTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_page_without_sign_in_redirects_to_the_sign_in_page()
    {
        var browser = new BrowserClient(_app);

        var response = await browser.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?ReturnUrl=%2F", BrowserClient.RedirectTarget(response));
    }

    [Fact]
    public async Task The_right_password_signs_in_and_returns_to_the_page_asked_for()
    {
        var browser = new BrowserClient(_app);

        var response = await browser.SignInAsync(AutoDeployAppFactory.AdminEmail, AutoDeployAppFactory.AdminPassword,
            "/account/login?ReturnUrl=%2Fprofile");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/profile", BrowserClient.RedirectTarget(response));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/profile")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_shows_a_message_and_keeps_the_email()
    {
        var browser = new BrowserClient(_app);

        var response = await browser.SignInAsync(AutoDeployAppFactory.AdminEmail, "not-the-password");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Wrong email or password", html);
        Assert.Contains($"value=\"{AutoDeployAppFactory.AdminEmail}\"", html);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_and_is_told_no_more_than_for_a_wrong_password()
    {
        using var scope = _app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        var admin = (await users.ListAsync()).Single(u => u.Email == AutoDeployAppFactory.AdminEmail);
        var created = await users.CreateAsync(new NewUserInput { Email = "off@autodeploy.test", Password = "Off-Passw0rd!", Role = Roles.Viewer });
        Assert.True((await users.SetDisabledAsync(created.Value!.Id, true, admin.Id)).Succeeded);
        var browser = new BrowserClient(_app);

        var response = await browser.SignInAsync("off@autodeploy.test", "Off-Passw0rd!");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Wrong email or password", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/profile")).StatusCode);
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_ignored()
    {
        var browser = new BrowserClient(_app);

        var response = await browser.SignInAsync(AutoDeployAppFactory.AdminEmail, AutoDeployAppFactory.AdminPassword,
            "/account/login?ReturnUrl=%2F%2Fevil.example.com%2F");

        Assert.Equal("/", BrowserClient.RedirectTarget(response));
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var browser = new BrowserClient(_app);
        await browser.SignInAsync(AutoDeployAppFactory.AdminEmail, AutoDeployAppFactory.AdminPassword);
        var token = BrowserClient.AntiforgeryToken(await browser.Http.GetStringAsync("/account/login"));

        var response = await browser.Http.PostAsync("/account/logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal("/account/login", BrowserClient.RedirectTarget(response));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_without_the_antiforgery_token_is_refused()
    {
        var browser = new BrowserClient(_app);
        await browser.SignInAsync(AutoDeployAppFactory.AdminEmail, AutoDeployAppFactory.AdminPassword);

        var response = await browser.Http.PostAsync("/account/logout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Once_a_user_exists_the_setup_page_sends_to_the_sign_in_page()
    {
        var browser = new BrowserClient(_app);

        var response = await browser.Http.GetAsync("/setup");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", BrowserClient.RedirectTarget(response));
    }

    [Fact]
    public async Task A_viewer_opening_an_administrator_page_is_told_they_are_not_authorized()
    {
        using var scope = _app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<UserService>()
            .CreateAsync(new NewUserInput { Email = "viewer@autodeploy.test", Password = "Viewer-Passw0rd!", Role = Roles.Viewer });
        var browser = new BrowserClient(_app);
        await browser.SignInAsync("viewer@autodeploy.test", "Viewer-Passw0rd!");

        var response = await browser.Http.GetAsync("/users");

        Assert.Equal("/account/access-denied?ReturnUrl=%2Fusers", BrowserClient.RedirectTarget(response));
        Assert.Contains("You are not authorized", await browser.Http.GetStringAsync("/account/access-denied"));
    }
}
