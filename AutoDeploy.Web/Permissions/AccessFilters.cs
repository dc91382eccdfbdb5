using System.Linq.Expressions;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Web.Data;

namespace AutoDeploy.Web.Permissions;

/// <summary>
/// The lists' side of <see cref="Access.CanView"/>, as SQL: one condition per assignment, joined with OR, so a Viewer of
/// project A in Test and of project B in Production sees A's deployments to Test and B's to Production, not A's to
/// Production. Someone who sees everything gets the query unchanged.
/// </summary>
public static class AccessFilters
{
    public static IQueryable<Project> Visible(this IQueryable<Project> projects, Access access) =>
        access.SeesEverything || access.Assignments.Any(a => a.ProjectIds.Count == 0)
            ? projects
            : projects.Where(p => ProjectIds(access).Contains(p.Id));

    public static IQueryable<Release> Visible(this IQueryable<Release> releases, Access access) =>
        access.SeesEverything || access.Assignments.Any(a => a.ProjectIds.Count == 0)
            ? releases
            : releases.Where(r => ProjectIds(access).Contains(r.ProjectId));

    public static IQueryable<Deployment> Visible(this IQueryable<Deployment> deployments, Access access) =>
        access.SeesEverything ? deployments : deployments.Where(Any(access.Assignments, a =>
        {
            var projects = a.ProjectIds.ToList();
            var environments = a.EnvironmentIds.ToList();
            return (Expression<Func<Deployment, bool>>)(d =>
                (projects.Count == 0 || projects.Contains(d.ProjectId)) && (environments.Count == 0 || environments.Contains(d.EnvironmentId)));
        }));

    /// <summary>Events of visible projects and environments; a machine's event counts in the machine's environments.</summary>
    public static IQueryable<Event> Visible(this IQueryable<Event> events, Access access, AutoDeployDbContext db)
    {
        if (access.IsAdministrator)
        {
            return events;
        }
        // Who may do what, and who signed in from where, is for administrators: not every reader's business.
        var identity = EventCategories.AdministratorsOnly.ToList();
        events = events.Where(e => !identity.Contains(e.Category));
        return access.SeesEverything ? events : events.Where(Any(access.Assignments, a =>
        {
            var projects = a.ProjectIds.ToList();
            var environments = a.EnvironmentIds.ToList();
            return (Expression<Func<Event, bool>>)(e =>
                (projects.Count == 0 || e.ProjectId == null || projects.Contains(e.ProjectId.Value))
                && (environments.Count == 0
                    || (e.EnvironmentId == null && e.MachineId == null)
                    || (e.EnvironmentId != null && environments.Contains(e.EnvironmentId.Value))
                    || (e.EnvironmentId == null && db.Machines.Any(m => m.Id == e.MachineId && m.Environments.Any(x => environments.Contains(x.Id))))));
        }));
    }

    /// <summary>The environment ids to show, null for all.</summary>
    public static IReadOnlySet<int>? EnvironmentIds(Access access) =>
        access.SeesEverything || access.Assignments.Any(a => a.EnvironmentIds.Count == 0)
            ? null
            : access.Assignments.SelectMany(a => a.EnvironmentIds).ToHashSet();

    private static List<int> ProjectIds(Access access) => access.Assignments.SelectMany(a => a.ProjectIds).Distinct().ToList();

    /// <summary>One condition per assignment, joined with OR; none (no assignment): nothing.</summary>
    private static Expression<Func<T, bool>> Any<T>(IReadOnlyList<RoleAssignment> assignments, Func<RoleAssignment, Expression<Func<T, bool>>> condition)
    {
        var parameter = Expression.Parameter(typeof(T), "x");
        Expression body = Expression.Constant(false);
        foreach (var assignment in assignments)
        {
            var one = condition(assignment);
            body = Expression.OrElse(body, new Rebind(one.Parameters[0], parameter).Visit(one.Body));
        }
        return Expression.Lambda<Func<T, bool>>(body, parameter);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
