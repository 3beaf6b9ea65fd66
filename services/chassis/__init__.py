"""The microservice chassis: infrastructure every service shares; it knows no domain."""
