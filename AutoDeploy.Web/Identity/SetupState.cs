using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Identity;

/// <summary>
/// Whether the first administrator exists. Until then every page leads to <c>/setup</c>; once a user
/// exists the answer is cached, since the last administrator can never be deleted.
/// </summary>
public sealed class SetupState(IDbContextFactory<AutoDeployDbContext> factory)
{
    private volatile bool _complete;

    public async Task<bool> IsCompleteAsync(CancellationToken cancellationToken = default)
    {
        if (!_complete)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            _complete = await db.Users.AnyAsync(cancellationToken);
        }
        return _complete;
    }

    public void MarkComplete() => _complete = true;
}
