package apimodel

import "fmt"

// Compile turns a deployment's Definition into the API the gateway
// serves: the OpenAPI body's paths, authorizers, integrations, validators
// and gateway responses, with the AWS::ApiGateway::* parts merged on top
// (parts add resources and methods, and replace a body method or gateway
// response they redefine). An error names every problem that leaves the
// API unservable (a method on a missing resource, an undefined authorizer,
// a bad path template, a method without integration); Warnings in the API
// name what deploys but is not emulated.
func Compile(def Definition) (*API, error) {
	b := newBuilder(def.RootResourceID)
	if len(def.Body) > 0 && string(def.Body) != "null" {
		b.addBody(def.Body)
	}
	b.addParts(def.Parts)
	b.addBinary(def.BinaryMediaTypes)
	api, err := b.api()
	if err != nil {
		return nil, fmt.Errorf("API definition: %w", err)
	}
	return api, nil
}
