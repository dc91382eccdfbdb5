using System.Reflection;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>
/// scripts/test.sh runs the tests marked <c>[Trait("Database", "App")]</c> a second time with the app on PostgreSQL
/// (<see cref="AppDatabase"/>); only <see cref="AutoDeployAppFactory"/> changes with that pass, so exactly the test
/// classes that start it carry the trait: forgetting it would silently drop a class from the PostgreSQL pass. A class
/// may say instead, with <c>[Trait("Database", "SqliteOnly")]</c> and a reason in its summary, that the database under the
/// app is not what it tests (the pass is part of the suite's 12-minute budget).
/// </summary>
public sealed class AppDatabaseTraitTests
{
    [Fact]
    public void Exactly_the_test_classes_that_start_the_app_run_again_on_PostgreSQL()
    {
        var testClasses = typeof(AppDatabaseTraitTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>().Any()))
            // These run once on servers of their own (the PostgreSQL-only and several-node tests, the benchmarks' smoke runs).
            .Where(t => t.Namespace is not ("AutoDeploy.Tests.HighAvailability" or "AutoDeploy.Tests.Bench"))
            .ToList();

        var startsTheApp = testClasses.Where(StartsTheApp).Where(t => !Is(t, "SqliteOnly")).Select(t => t.Name).Order().ToList();
        var marked = testClasses.Where(t => Is(t, "App")).Select(t => t.Name).Order().ToList();

        Assert.Equal(startsTheApp, marked);
    }

    // TraitAttribute keeps its name and value only as constructor arguments.
    private static bool Is(Type testClass, string database) => testClass.GetCustomAttributesData()
        .Any(a => a.AttributeType == typeof(TraitAttribute)
                  && a.ConstructorArguments.Select(c => c.Value as string).SequenceEqual(["Database", database]));

    /// <summary>A field, a fixture or a local of an async test (a field of its state machine) of the app's type.</summary>
    private static bool StartsTheApp(Type testClass) =>
        testClass.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericArguments().Contains(typeof(AutoDeployAppFactory)))
        || testClass.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(AutoDeployAppFactory)))
        || new[] { testClass }.Concat(testClass.GetNestedTypes(BindingFlags.NonPublic | BindingFlags.Public))
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public))
            .Any(f => f.FieldType == typeof(AutoDeployAppFactory));
}
