using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// Whether the first administrator exists. Until then every page leads to <c>/setup</c>; once a user
/// exists the answer is cached, since the last administrator can never be deleted, and the set-up token is retired
/// (the app always has one; screens tested on their own may go without).
/// </summary>
public sealed class SetupState(IDbContextFactory<AutoDeployDbContext> factory, SetupToken? token = null)
{
    private volatile bool _complete;

    public async Task<bool> IsCompleteAsync(CancellationToken cancellationToken = default)
    {
        if (!_complete)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            if (await db.Users.AnyAsync(cancellationToken))
            {
                MarkComplete();
            }
        }
        return _complete;
    }

    public void MarkComplete()
    {
        if (!_complete)
        {
            _complete = true;
            token?.Retire();
        }
    }
}
