namespace AutoDeploy.Web.Api;

public static class EnvironmentsApi
{
    public static RouteGroupBuilder MapEnvironmentsApi(this RouteGroupBuilder api) => api;
}
