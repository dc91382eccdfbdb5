using System.Net;
using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Identity;

/// <summary>
/// Sign-in attempts are limited per address and per account (429, Retry-After and a message on the form); the answer is
/// the same for an unknown account, a wrong password and a locked account; a browser that signed in before is not held
/// back by a lockout strangers caused; every attempt that reached the password is an audit event without the password.
/// On SQLite only: the limits are in memory in front of Identity, whose stores the PostgreSQL pass covers elsewhere.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class SignInLimitsTests : IAsyncLifetime
{
    private const string Admin = AutoDeployAppFactory.AdminEmail;
    private const string Password = AutoDeployAppFactory.AdminPassword;
    private readonly AutoDeployAppFactory _app = new();

    public Task InitializeAsync()
    {
        // One token back every ~3 hours: nothing refills within a test, so the counts below are exact.
        _app.Settings["SignIn:AddressPerMinute"] = "0.006";
        _app.Settings["SignIn:AccountPerMinute"] = "0.006";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_address_over_its_attempts_gets_429_with_retry_after_and_a_message_on_the_form()
    {
        _app.Settings["SignIn:AddressBurst"] = "3";
        var browser = new BrowserClient(_app);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync($"nobody{i}@autodeploy.test", "wrong")).StatusCode);
        }

        var refused = await browser.SignInAsync(Admin, Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to come back");
        Assert.Contains("Too many sign-in attempts", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/profile")).StatusCode);
    }

    [Fact]
    public async Task An_account_over_its_attempts_is_held_back_while_other_accounts_are_not()
    {
        _app.Settings["SignIn:AccountBurst"] = "2";
        var browser = new BrowserClient(_app);
        await browser.SignInAsync(Admin, "wrong-1");
        await browser.SignInAsync(Admin, "wrong-2");

        var refused = await browser.SignInAsync(Admin, Password);
        var other = await browser.SignInAsync("someone-else@autodeploy.test", "wrong");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Unknown_account_wrong_password_and_locked_out_read_the_same()
    {
        var browser = new BrowserClient(_app);

        var unknown = await ErrorOfAsync(await browser.SignInAsync("nobody@autodeploy.test", "wrong"));
        var wrong = await ErrorOfAsync(await browser.SignInAsync(Admin, "wrong"));
        for (var i = 0; i < 5; i++)
        {
            await browser.SignInAsync(Admin, "wrong");
        }
        var locked = await ErrorOfAsync(await browser.SignInAsync(Admin, Password));

        Assert.Equal("refused", unknown);
        Assert.Equal("refused", wrong);
        Assert.Equal("refused", locked);
        Assert.Contains(await CategoriesAsync(), c => c == EventCategories.SignInLockedOut);
    }

    [Fact]
    public async Task A_lockout_caused_by_strangers_does_not_keep_out_a_browser_that_signed_in_before()
    {
        var owner = new BrowserClient(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SignInAsync(Admin, Password)).StatusCode);
        await SignOutAsync(owner);
        var stranger = new BrowserClient(_app);
        for (var i = 0; i < 6; i++)
        {
            await stranger.SignInAsync(Admin, "guess-" + i);
        }
        Assert.Equal(HttpStatusCode.OK, (await stranger.SignInAsync(Admin, Password)).StatusCode); // locked for strangers

        var response = await owner.SignInAsync(Admin, Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync("/profile")).StatusCode);
    }

    [Fact]
    public async Task Sign_ins_are_audit_events_with_the_email_as_given_bounded_and_never_the_password()
    {
        var browser = new BrowserClient(_app);
        var longEmail = new string('x', 5000) + "@autodeploy.test";
        const string secretGuess = "Secret-Guess-7f3a";

        await browser.SignInAsync(longEmail, secretGuess);
        await browser.SignInAsync(Admin, secretGuess);
        await browser.SignInAsync(Admin, Password);

        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        var events = await db.Events.Where(e => EventCategories.SignIn.Contains(e.Category)).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([EventCategories.SignInFailed, EventCategories.SignInFailed, EventCategories.SignInSucceeded], events.Select(e => e.Category));
        Assert.All(events, e => Assert.DoesNotContain(secretGuess, e.Message + e.DetailsJson + e.Actor));
        Assert.All(events, e => Assert.DoesNotContain(Password, e.Message + e.DetailsJson + e.Actor));
        Assert.Contains(Admin, events[1].Message);
        Assert.Contains("xxxx", events[0].Message);
        Assert.True(events[0].Message.Length < 400, "the email is cut");
        Assert.Equal(Admin, events[2].Actor);
    }

    private static async Task SignOutAsync(BrowserClient browser)
    {
        var token = BrowserClient.AntiforgeryToken(await browser.Http.GetStringAsync("/account/login"));
        await browser.Http.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }

    /// <summary>The form's error, with the one message every refusal shows taken as its name.</summary>
    private static async Task<string> ErrorOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"login-error\"", html);
        Assert.DoesNotContain("locked", html, StringComparison.OrdinalIgnoreCase);
        return html.Contains(PasswordSignIn.Refused, StringComparison.Ordinal) ? "refused" : html;
    }

    private async Task<List<string>> CategoriesAsync()
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>().CreateDbContextAsync();
        return await db.Events.Select(e => e.Category).ToListAsync();
    }
}
