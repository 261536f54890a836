package main

import (
	"errors"
	"fmt"

	"github.com/elastic/package-spec/v3/code/go/pkg/specerrors"
	"github.com/elastic/package-spec/v3/code/go/pkg/validator"
)

// runValidate validates the package directory args[0] and prints one line
// per validation error.
func runValidate(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("validate takes one package directory\n%s", usage)
	}
	err := validator.ValidateFromPath(args[0])
	if err == nil {
		fmt.Printf("%s: valid (package-spec v3)\n", args[0])
		return nil
	}
	var verrs specerrors.ValidationErrors
	if errors.As(err, &verrs) {
		for _, e := range verrs {
			fmt.Println(e.Error())
		}
		return fmt.Errorf("%s: %d validation errors", args[0], len(verrs))
	}
	return err
}
