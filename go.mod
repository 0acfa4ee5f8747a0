module github.com/provbot/provbot

go 1.26.8
