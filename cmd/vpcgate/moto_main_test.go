package main

import (
	"os"
	"testing"

	"github.com/vpcgate/vpcgate/internal/mototest"
)

func TestMain(m *testing.M) { os.Exit(mototest.Main(m)) }
